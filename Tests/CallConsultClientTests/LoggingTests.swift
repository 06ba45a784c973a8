import CallConsultClient
import CallConsultKit
import InMemoryLogging
import Logging
import NIOHTTP1
import XCTest

/// What the client logs: only at debug and trace, under `ecss.` keys, and never a secret.
final class LoggingTests: XCTestCase {
    func testLogsAtDebugAndTraceWithEcssKeysAndNoSecrets() async throws {
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "test", factory: { _ in handler })
        logger.logLevel = .trace
        let server = FakeECSS.handler(
            loginCookies: ["ECSS_SESSION=\(sessionCookieValue)", "x=1; Domain=evil.example"],
            firstCommand: .respond(.forbidden, [], Array("expired".utf8)),
            then: .respond(.forbidden, FakeECSS.xml, FakeECSS.refused))
        try await TestServer.withServer(handler: server) { server in
            let client = try FakeECSS.client(server)
            _ = try await client.callConsult(sampleRequest, logger: logger)
        }
        try await TestServer.withServer(handler: TestServer.always(.respond(.forbidden, [], Array("Invalid credentials".utf8)))) {
            server in
            _ = await assertClientError { try await FakeECSS.client(server).login(logger: logger) }
        }
        let entries = handler.entries
        let ours = entries.filter { "\($0.message)".hasPrefix("ecss ") }
        XCTAssertGreaterThanOrEqual(ours.count, 6, "\(ours.map { "\($0.message)" })")
        for entry in entries {
            XCTAssertLessThanOrEqual(entry.level, .debug, "\(entry.message)")
            let text = "\(entry.message) \(entry.metadata)"
            XCTAssertFalse(text.contains(testCredentials.apiKey), text)
            XCTAssertFalse(text.contains(sessionCookieValue), text)
        }
        for entry in ours {
            for key in entry.metadata.keys { XCTAssertTrue(key.hasPrefix("ecss."), "\(key) in \(entry.message)") }
        }
        let messages = ours.map { "\($0.message)" }
        XCTAssertTrue(messages.contains("ecss session lost; logging in again"), "\(messages)")
        XCTAssertTrue(messages.contains("ecss login refused"), "\(messages)")
        XCTAssertTrue(messages.contains("ecss cookie refused: its domain is not the server's"), "\(messages)")
        let answered = ours.first { "\($0.message)" == "ecss call_consult answered" }
        XCTAssertEqual(answered?.metadata["ecss.conversation_id"], .string(sampleRequest.conversationID))
        XCTAssertEqual(answered?.metadata["ecss.status"], .stringConvertible(403))
    }

    func testEveryLineOfAnotherCommandNamesItAndShowsNoSecret() async throws {
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "test", factory: { _ in handler })
        logger.logLevel = .trace
        let reply = FakeECSS.errorReply(to: .blockOperator)
        let server = FakeECSS.handler(
            loginCookies: ["ECSS_SESSION=\(sessionCookieValue)"], firstCommand: FakeECSS.sessionLost,
            then: FakeECSS.answer(.error(reply), to: .blockOperator))
        try await TestServer.withServer(handler: server) { server in
            let response = try await FakeECSS.client(server).blockOperator(
                BlockOperatorRequest(agentID: "agent-7"), logger: logger)
            XCTAssertEqual(response, .error(reply))
        }
        try await TestServer.withServer(handler: FakeECSS.handler { _ in FakeECSS.sessionLost }) { server in
            _ = await assertClientError { try await FakeECSS.client(server).monitor(FamilyCase.monitorRequest, logger: logger) }
        }
        let entries = handler.entries
        for entry in entries {
            XCTAssertLessThanOrEqual(entry.level, .debug, "\(entry.message)")
            let text = "\(entry.message) \(entry.metadata)"
            XCTAssertFalse(text.contains(testCredentials.apiKey), text)
            XCTAssertFalse(text.contains(sessionCookieValue), text)
            for key in entry.metadata.keys { XCTAssertTrue(key.hasPrefix("ecss."), "\(key) in \(entry.message)") }
        }
        // Every line names the exchange under way: the command, or the login made for it.
        let commands: [Logger.MetadataValue?] = ["block_operator", "monitor"]
        for entry in entries {
            XCTAssertTrue(
                (commands + ["login"]).contains(entry.metadata["ecss.command"]), "\(entry.message) \(entry.metadata)")
        }
        let commandLines = entries.filter { commands.contains($0.metadata["ecss.command"]) }
        XCTAssertGreaterThanOrEqual(commandLines.count, 8, "\(entries.map { "\($0.message)" })")
        let messages = entries.map { "\($0.message)" }
        for expected in ["ecss block_operator", "ecss block_operator answered", "ecss monitor", "ecss monitor failed"] {
            XCTAssertTrue(messages.contains(expected), "\(expected) in \(messages)")
        }
        let answered = entries.first { "\($0.message)" == "ecss block_operator answered" }
        XCTAssertEqual(answered?.metadata["ecss.response"], "error")
        XCTAssertEqual(answered?.metadata["ecss.status"], .stringConvertible(200))
    }

    func testNoDescriptionOfTheConfigurationOrClientShowsTheAPIKey() throws {
        let configuration = ECSSClient.Configuration(baseURL: "http://127.0.0.1:1", domain: "d", credentials: testCredentials)
        let client = try ECSSClient(configuration: configuration)
        var dumped = ""
        dump(client, to: &dumped)
        dump(configuration, to: &dumped)
        for text in ["\(configuration)", String(reflecting: configuration), "\(client)", dumped] {
            XCTAssertFalse(text.contains(testCredentials.apiKey), text)
        }
        XCTAssertTrue(dumped.contains("crm"), dumped)
    }

    func testTheDefaultLoggerIsSilent() async throws {
        // Nothing to observe but that calls without a logger work; the no-op handler drops all.
        let handler = FakeECSS.handler { _ in .respond(.ok, FakeECSS.xml, FakeECSS.ok) }
        try await TestServer.withServer(handler: handler) { server in
            let response = try await FakeECSS.client(server).callConsult(sampleRequest)
            XCTAssertEqual(response, .ok)
        }
    }
}
