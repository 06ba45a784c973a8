import CallConsultClient
import CallConsultEmulator
import CallConsultKit
import Logging
import XCTest

/// The README's client snippet against the emulator: connected, refused, not sent.
final class ReadmeClientTests: XCTestCase {
    func testTheClientSnippetAgainstTheEmulator() async throws {
        var configuration = ECSSEmulator.Configuration(
            credentials: LoginRequest(clientID: "crm", apiKey: "k-123", phoneNumber: "1001"))
        configuration.domain = "example.domain"
        let quiet = Logger(label: "emulator", factory: { _ in SwiftLogNoOpLogHandler() })
        try await ECSSEmulator.withRunning(configuration: configuration, logger: quiet) { running in
            let connected = try await connectOperator(server: running.baseURL, apiKey: "k-123")
            XCTAssertEqual(connected, "connected")
            let notSent = try await connectOperator(server: running.baseURL, apiKey: "wrong")
            XCTAssertTrue(notSent.hasPrefix("not sent: authentication: login refused"), notSent)
        }
        let refuse: ECSSEmulator.CommandDecision = { _, _ in .error(ErrorReply(reason: "cannot_perform_cmd")) }
        try await ECSSEmulator.withRunning(configuration: configuration, logger: quiet, answering: refuse) { running in
            let refused = try await connectOperator(server: running.baseURL, apiKey: "k-123")
            XCTAssertEqual(refused, "refused: cannot_perform_cmd")
        }
    }
}
