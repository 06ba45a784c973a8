// The README's section "The emulator": its Swift block stands below exactly as shown there
// (ReadmeSnippetsTests checks it), and runs as a test.

import CallConsultEmulator
import CallConsultKit
import Foundation
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

final class IntegrationTests: XCTestCase {
    func testTheIntegrationLogsInThenConsults() async throws {
        let credentials = LoginRequest(clientID: "crm-1", apiKey: "s3cret", phoneNumber: "1001")
        var configuration = ECSSEmulator.Configuration(credentials: credentials)
        configuration.sessionCommands = 10  // the 11th command gets 403: the integration must log in again
        let ended = ErrorReply(reason: ErrorReply.cannotPerformCommand, command: "call_consult")
        let decide: ECSSEmulator.Decision = { request, _ in request.conversationID == "ended" ? .error(ended) : .ok }
        try await ECSSEmulator.withRunning(configuration: configuration, decide: decide) { running in
            // The integration under test talks to running.baseURL; here two POSTs stand for it.
            let codec = CallConsultCodec()
            let session = URLSession(configuration: .ephemeral)  // keeps the ECSS_SESSION cookie
            var login = URLRequest(url: try XCTUnwrap(URL(string: running.url(of: "login", domain: "example.domain"))))
            login.httpMethod = "POST"
            login.httpBody = Data(try codec.encode(credentials))
            let (_, loggedIn) = try await session.data(for: login)
            XCTAssertEqual((loggedIn as? HTTPURLResponse)?.statusCode, 200)

            let request = CallConsultRequest(conversationID: "ended", toNumber: "1002")
            var consult = URLRequest(url: try XCTUnwrap(URL(string: running.url(of: "call_consult", domain: "example.domain"))))
            consult.httpMethod = "POST"
            consult.httpBody = Data(try codec.encode(request))
            let (body, answer) = try await session.data(for: consult)
            XCTAssertEqual((answer as? HTTPURLResponse)?.statusCode, 403)
            XCTAssertEqual(try codec.decodeResponse(body), .error(ended))

            XCTAssertEqual(running.exchanges.map(\.status), [200, 403])
            XCTAssertEqual(running.exchanges.last?.outcome, .answered(request, .error(ended)))
        }
    }
}
