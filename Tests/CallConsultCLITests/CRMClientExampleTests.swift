import CallConsultEmulator
import CallConsultKit
import Foundation
import Logging
import XCTest

/// `Examples/CRMClient` (the `crm-client` target) against the emulator: concurrent requests over
/// one login, outcomes in input order, the exit status.
final class CRMClientExampleTests: XCTestCase {
    func testTheExampleSendsEveryRequestOverOneLogin() async throws {
        let credentials = LoginRequest(clientID: "crm", apiKey: "EXAMPLE-KEY-123", phoneNumber: "1001")
        var configuration = ECSSEmulator.Configuration(credentials: credentials)
        configuration.domain = "example.domain"
        let quiet = Logger(label: "emulator", factory: { _ in SwiftLogNoOpLogHandler() })
        let decide: ECSSEmulator.Decision = { request, _ in
            request.conversationID == "busy"
                ? .error(ErrorReply(reason: "cannot_perform_cmd", command: "call_consult", body: "timeout")) : .ok
        }
        try await ECSSEmulator.withRunning(configuration: configuration, logger: quiet, decide: decide) { running in
            let runner = try CommandRunner(named: "crm-client")
            let lines = (1...20).map { "c\($0) 100\($0 % 10)" } + ["busy 1002 42"]
            let environment = [
                "ECSS_URL": running.baseURL, "ECSS_DOMAIN": "example.domain", "ECSS_CLIENT_ID": "crm",
                "ECSS_API_KEY": credentials.apiKey, "ECSS_PHONE_NUMBER": "1001",
            ]
            let stdin = Data((lines.joined(separator: "\n") + "\n").utf8)
            let result = try await withCheckedThrowingContinuation {
                (continuation: CheckedContinuation<CommandRunner.Run, any Error>) in
                Thread.detachNewThread {
                    continuation.resume(with: Result { try runner.run([], stdin: stdin, environment: environment) })
                }
            }
            XCTAssertEqual(result.status, 1, result.stderr)
            XCTAssertEqual(result.lines, (1...20).map { "c\($0) connected" } + ["busy refused cannot_perform_cmd (timeout)"])
            XCTAssertEqual(running.exchanges.filter { $0.command == .login }.count, 1)
            XCTAssertEqual(running.exchanges.filter { $0.command == .callConsult }.count, 21)
        }
    }
}
