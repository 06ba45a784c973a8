// The README's section "`callconsult proxy`": its Swift block stands below exactly as shown there
// (ReadmeSnippetsTests checks it), and runs as a test against the emulator as the upstream.

import CallConsultEmulator
import CallConsultKit
import CallConsultProxy
import Foundation
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

final class ProxyCheckTests: XCTestCase {
    /// Stands for the CRM under test: logs in and holds a call at `base`.
    private func runTheCRM(against base: String) async throws {
        let session = URLSession(configuration: .ephemeral)  // keeps the ECSS_SESSION cookie
        for (command, body) in [
            ("login", #"<in><request client_id="crm-1" api_key="s3cret" phone_number="1001"/></in>"#),
            ("call_hold", #"<in><request><call_hold conversation_id="c-1"/></request></in>"#),
        ] {
            var post = URLRequest(url: try XCTUnwrap(URL(string: "\(base)/example.domain/service/cc/arm/\(command)")))
            post.httpMethod = "POST"
            post.httpBody = Data(body.utf8)
            _ = try await session.data(for: post)
        }
    }

    func testTheCRMsTrafficHoldsToTheSchemas() async throws {
        let credentials = LoginRequest(clientID: "crm-1", apiKey: "s3cret", phoneNumber: "1001")
        try await ECSSEmulator.withRunning(configuration: .init(credentials: credentials)) { upstream in
            let configuration = ECSSProxy.Configuration(upstream: try XCTUnwrap(URL(string: upstream.baseURL)))
            let (exchanges, report) = AsyncStream.makeStream(of: ECSSProxy.Exchange.self)
            try await ECSSProxy.withRunning(configuration: configuration, onExchange: { report.yield($0) }) { _, port in
                try await runTheCRM(against: "http://127.0.0.1:\(port)")
            }
            report.finish()
            for await exchange in exchanges {
                XCTAssertEqual(exchange.requestValid, true, "\(exchange.issues)")
                XCTAssertEqual(exchange.responseValid, true, "\(exchange.issues)")
            }
        }
    }
}
