// The README's section "The emulator": its Swift block stands below exactly as shown there
// (ReadmeSnippetsTests checks it), and runs as a test. `decision`, `codec` and `holdRequest` are the
// README's snippet of "The commands" (ReadmeCommandsSnippet.swift).

import CallConsultEmulator
import CallConsultKit
import Foundation
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

final class IntegrationTests: XCTestCase {
    func testTheIntegrationLogsInThenHolds() async throws {
        let credentials = LoginRequest(clientID: "crm-1", apiKey: "s3cret", phoneNumber: "1001")
        var configuration = ECSSEmulator.Configuration(credentials: credentials)
        configuration.sessionCommands = 10  // the 11th command gets 403: the integration must log in again
        try await ECSSEmulator.withRunning(configuration: configuration, answering: decision) { running in
            // The integration under test talks to running.baseURL; here two POSTs stand for it.
            let session = URLSession(configuration: .ephemeral)  // keeps the ECSS_SESSION cookie
            for (command, body) in try [("login", codec.encode(credentials)), ("call_hold", holdRequest("ended"))] {
                var post = URLRequest(url: try XCTUnwrap(URL(string: running.url(of: command, domain: "example.domain"))))
                post.httpMethod = "POST"
                post.httpBody = Data(body)
                _ = try await session.data(for: post)
            }
            XCTAssertEqual(running.exchanges.map(\.status), [200, 403])
            let refused = ErrorReply(reason: "cannot_perform_cmd", command: "call_hold")
            XCTAssertEqual(running.exchanges.last?.outcome, .answered(.callHold(.init(conversationID: "ended")), .error(refused)))
        }
    }
}
