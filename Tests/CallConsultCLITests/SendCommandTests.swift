import CallConsultEmulator
import CallConsultKit
import Foundation
import Logging
import XCTest

/// `callconsult send` against the emulator: the JSON lines, the human lines and the exit status
/// are a contract other tools test against.
final class SendCommandTests: XCTestCase {
    private static let credentials = LoginRequest(clientID: "crm", apiKey: "CLI-API-KEY-77aa", phoneNumber: "1001")
    private static let domain = "test.domain"
    private static let quiet = Logger(label: "emulator", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs the emulator (one domain, the test credentials) around `body`.
    private func withEmulator<Value: Sendable>(
        sessionCommands: Int? = nil, decide: @escaping ECSSEmulator.CommandDecision = { _, _ in .ok },
        _ body: (ECSSEmulator.Running) async throws -> Value
    ) async throws -> Value {
        var configuration = ECSSEmulator.Configuration(credentials: Self.credentials)
        configuration.domain = Self.domain
        configuration.sessionCommands = sessionCommands
        return try await ECSSEmulator.withRunning(configuration: configuration, logger: Self.quiet, answering: decide, body)
    }

    /// `send --url … --domain … --client-id … --api-key … --phone-number …` then `arguments`.
    private func send(
        _ running: ECSSEmulator.Running?, _ arguments: [String], url: String? = nil, credentials: Bool = true, stdin: Data? = nil,
        environment: [String: String]? = nil
    ) async throws -> CommandRunner.Run {
        var full = ["send", "--url", url ?? running?.baseURL ?? "http://127.0.0.1:9"]
        if url == nil { full += ["--domain", Self.domain] }
        if credentials {
            full += [
                "--client-id", Self.credentials.clientID, "--api-key", Self.credentials.apiKey, "--phone-number",
                Self.credentials.phoneNumber,
            ]
        }
        let runner = try CommandRunner()
        let arguments = full + arguments
        // The child is waited for on a thread of its own, so that the emulator's tasks keep the
        // cooperative pool while it runs.
        let result = try await withCheckedThrowingContinuation {
            (continuation: CheckedContinuation<CommandRunner.Run, any Error>) in
            Thread.detachNewThread {
                continuation.resume(with: Result { try runner.run(arguments, stdin: stdin, environment: environment) })
            }
        }
        XCTAssertFalse(result.stdout.contains(Self.credentials.apiKey), result.stdout)
        XCTAssertFalse(result.stderr.contains(Self.credentials.apiKey), result.stderr)
        return result
    }

    private func commands(_ running: ECSSEmulator.Running, _ command: ECSSEmulator.Command) -> Int {
        running.exchanges.filter { $0.command == command }.count
    }

    func testOneRequestOkJSON() async throws {
        try await withEmulator { running in
            let result = try await send(
                running, ["--conversation-id", "c1", "--to-number", "1001", "--operator-id", "42", "--json"])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(
                result.lines,
                [
                    #"{"command": "call_consult", "conversation_id": "c1", "request": {"conversation_id": "c1", "to_number": "1001", "operator_id": "42"}, "status": 200, "response": {"ok": true}}"#
                ])
            XCTAssertEqual(
                running.exchanges.last?.outcome,
                .answered(CallConsultRequest(conversationID: "c1", toNumber: "1001", operatorID: "42"), .ok))
        }
    }

    func testAnErrorReplyExitsOneWithReasonCmdAndBody() async throws {
        let reply = ErrorReply(reason: "cannot_perform_cmd", command: "call_consult", body: "timeout")
        let decide: ECSSEmulator.CommandDecision = { request, _ in request.contains(value: "busy") ? .error(reply) : .ok }
        try await withEmulator(decide: decide) { running in
            let batch = Data(
                """
                {"conversation_id": "c1", "to_number": "1001"}

                {"conversation_id": "busy", "to_number": "1002", "operator_id": "7"}
                {"conversation_id": "c3", "to_number": "1003", "operator_id": null}
                """.utf8)
            let result = try await send(running, ["--batch", "-", "--json"], stdin: batch)
            XCTAssertEqual(result.status, 1, result.stderr)
            XCTAssertEqual(
                result.lines,
                [
                    #"{"command": "call_consult", "conversation_id": "c1", "request": {"conversation_id": "c1", "to_number": "1001", "operator_id": null}, "status": 200, "response": {"ok": true}}"#,
                    #"{"command": "call_consult", "conversation_id": "busy", "request": {"conversation_id": "busy", "to_number": "1002", "operator_id": "7"}, "status": 403, "response": {"error": {"reason": "cannot_perform_cmd", "cmd": "call_consult", "body": "timeout"}}}"#,
                    #"{"command": "call_consult", "conversation_id": "c3", "request": {"conversation_id": "c3", "to_number": "1003", "operator_id": null}, "status": 200, "response": {"ok": true}}"#,
                ])
            XCTAssertEqual(commands(running, .named(.login)), 1)
        }
    }

    func testABatchOverAnExpiringSessionLogsInOnceMoreAndSendsEachOnce() async throws {
        try await withEmulator(sessionCommands: 2) { running in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("send-batch-\(UUID()).jsonl")
            let lines = (1...5).map { #"{"conversation_id": "c\#($0)", "to_number": "1001"}"# }
            try Data(lines.joined(separator: "\n").utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let result = try await send(running, ["--batch", file.path])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.lines, (1...5).map { #""c\#($0)": ok (status 200)"# })
            XCTAssertEqual(commands(running, .named(.login)), 3, "a session of 2 commands: 5 need 3 logins")
            let carriedOut = running.exchanges.compactMap { exchange -> String? in
                if case .answered(.callConsult(let request), _) = exchange.outcome { return request.conversationID }
                return nil
            }
            XCTAssertEqual(carriedOut, ["c1", "c2", "c3", "c4", "c5"])
        }
    }

    func testWrongCredentialsFailWithExitThreeAndTheStatus() async throws {
        try await withEmulator { running in
            let result = try await send(
                running, ["--conversation-id", "c1", "--to-number", "1001", "--json"], credentials: false,
                environment: ["ECSS_CLIENT_ID": "crm", "ECSS_API_KEY": "CLI-WRONG-KEY-1", "ECSS_PHONE_NUMBER": "1001"])
            XCTAssertEqual(result.status, 3, result.stderr)
            XCTAssertEqual(
                result.lines,
                [
                    #"{"command": "call_consult", "conversation_id": "c1", "request": {"conversation_id": "c1", "to_number": "1001", "operator_id": null}, "status": 403, "failure": {"kind": "authentication", "message": "login refused: Invalid credentials", "may_have_been_delivered": false, "attempts": 1}}"#
                ])
            XCTAssertFalse(result.stdout.contains("CLI-WRONG-KEY-1"))
            XCTAssertEqual(running.exchanges.map(\.command), [.login])
        }
    }

    func testABatchStopsSendingAfterTheLoginIsRefused() async throws {
        try await withEmulator { running in
            let batch = Data((1...3).map { #"{"conversation_id": "c\#($0)", "to_number": "1001"}"# }.joined(separator: "\n").utf8)
            let result = try await send(
                running, ["--batch", "-", "--json"], credentials: false, stdin: batch,
                environment: ["ECSS_CLIENT_ID": "crm", "ECSS_API_KEY": "CLI-WRONG-KEY-1", "ECSS_PHONE_NUMBER": "1001"])
            XCTAssertEqual(result.status, 3, result.stderr)
            XCTAssertEqual(
                result.lines,
                [
                    #"{"command": "call_consult", "conversation_id": "c1", "request": {"conversation_id": "c1", "to_number": "1001", "operator_id": null}, "status": 403, "failure": {"kind": "authentication", "message": "login refused: Invalid credentials", "may_have_been_delivered": false, "attempts": 1}}"#,
                    #"{"command": "call_consult", "conversation_id": "c2", "request": {"conversation_id": "c2", "to_number": "1001", "operator_id": null}, "failure": {"kind": "authentication", "message": "not sent: login refused: Invalid credentials", "may_have_been_delivered": false, "attempts": 0}}"#,
                    #"{"command": "call_consult", "conversation_id": "c3", "request": {"conversation_id": "c3", "to_number": "1001", "operator_id": null}, "failure": {"kind": "authentication", "message": "not sent: login refused: Invalid credentials", "may_have_been_delivered": false, "attempts": 0}}"#,
                ])
            XCTAssertEqual(running.exchanges.map(\.command), [.login], "one login for the whole batch")
        }
    }

    func testCredentialsFromTheEnvironment() async throws {
        try await withEmulator { running in
            let environment = [
                "ECSS_CLIENT_ID": Self.credentials.clientID, "ECSS_API_KEY": Self.credentials.apiKey,
                "ECSS_PHONE_NUMBER": Self.credentials.phoneNumber,
            ]
            let result = try await send(
                running, ["--conversation-id", "c1", "--to-number", "1001"], credentials: false, environment: environment)
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.lines, [#""c1": ok (status 200)"#])
        }
    }

    func testTheDomainFromTheURLsPath() async throws {
        try await withEmulator { running in
            for path in ["/\(Self.domain)", "/\(Self.domain)/service/cc/arm/call_consult"] {
                let result = try await send(
                    running, ["--conversation-id", "c1", "--to-number", "1"], url: running.baseURL + path)
                XCTAssertEqual(result.status, 0, "\(path): \(result.stderr)")
            }
        }
    }

    func testAnUnknownDomainIsAnUnexpectedStatusWithTheStatus() async throws {
        try await withEmulator { running in
            let result = try await send(
                running, ["--conversation-id", "c1", "--to-number", "1", "--json"], url: running.baseURL + "/other.domain")
            XCTAssertEqual(result.status, 3, result.stderr)
            let object = try CommandRunner.json(try XCTUnwrap(result.lines.first))
            XCTAssertEqual(Array(object.keys).sorted(), ["command", "conversation_id", "failure", "request", "status"])
            XCTAssertEqual(object["status"] as? Int, 404)
            XCTAssertEqual((object["failure"] as? [String: Any])?["kind"] as? String, "unexpected_status")
        }
    }

    func testConnectionRefusedFailsWithoutAStatus() async throws {
        let port = try await withEmulator { $0.port }  // listened, then stopped
        let result = try await send(
            nil, ["--conversation-id", "c1", "--to-number", "1", "--json"], url: "http://127.0.0.1:\(port)/\(Self.domain)")
        XCTAssertEqual(result.status, 3, result.stderr)
        let object = try CommandRunner.json(try XCTUnwrap(result.lines.first))
        XCTAssertEqual(Array(object.keys).sorted(), ["command", "conversation_id", "failure", "request"])
        XCTAssertEqual((object["failure"] as? [String: Any])?["kind"] as? String, "transport")
    }

    func testUsageErrorsExitTwoAndSendNothing() async throws {
        try await withEmulator { running in
            let cases: [([String], String?, Data?)] = [
                (["--conversation-id", "c1"], nil, nil),
                (["--batch", "-", "--conversation-id", "c1", "--to-number", "1"], nil, nil),
                (["--conversation-id", "c1", "--to-number", "1", "--timeout", "0"], nil, nil),
                (["--batch", "-"], nil, Data((#"{"conversation_id": "c1", "to_number": "1"}"# + "\nnot json\n").utf8)),
                (["--batch", "-"], nil, Data(#"{"conversation_id": "c1", "to_number": "1", "operatorId": "2"}"#.utf8)),
                (["--batch", "-"], nil, Data(#"{"conversation_id": "c1"}"#.utf8)),
                (["--batch", "-"], nil, Data(#"{"conversation_id": "c\u0000", "to_number": "1"}"#.utf8)),
                (["--batch", "-"], nil, Data("\n\n".utf8)),
                (["--conversation-id", "c1", "--to-number", "1"], running.baseURL, nil),  // no domain anywhere
                (["--conversation-id", "c1", "--to-number", "1"], "ftp://host/d", nil),
                (["--batch", "-"], nil, Data(#"{"command": "call_pickup", "conversation_id": "c1"}"#.utf8)),
                (["--batch", "-"], nil, Data(#"{"command": "call_hold"}"#.utf8)),
                (["--batch", "-"], nil, Data(#"{"command": "call_hold", "conversation_id": "c", "to_number": "1"}"#.utf8)),
                (
                    ["--batch", "-"], nil,
                    Data(#"{"command": "login", "client_id": "a", "api_key": "b", "phone_number": "c"}"#.utf8)
                ),
                (["--batch", "-"], nil, Data(#"{"command": "monitor", "start": null, "stop": null}"#.utf8)),
                (
                    ["--batch", "-"], nil,
                    Data(#"{"command": "add_participant", "participants": {"conference_id": "k", "extra": 1}}"#.utf8)
                ),
                (["--command", "call_hold"], nil, nil),
                (["--command", "monitor"], nil, nil),
                (["--command", "call_hold", "--attribute", "conversation_id=c", "--conversation-id", "c"], nil, nil),
                (["--command", "call_hold", "--attribute", "conversation_id=c", "--attribute", "agent_id=1"], nil, nil),
            ]
            for timeout in ["0.0004", "-1", "nan", "86401"] {
                let result = try await send(running, ["--conversation-id", "c1", "--to-number", "1", "--timeout=\(timeout)"])
                XCTAssertEqual(result.status, 2, "\(timeout): \(result.stderr)")
                XCTAssertTrue(result.stderr.hasPrefix("Error: --timeout must be a number of seconds"), result.stderr)
            }
            for (arguments, url, stdin) in cases {
                let result = try await send(running, arguments, url: url, stdin: stdin)
                XCTAssertEqual(result.status, 2, "\(arguments) \(String(describing: url)): \(result.stdout) \(result.stderr)")
                XCTAssertTrue(result.stdout.isEmpty, result.stdout)
                XCTAssertFalse(result.stderr.isEmpty)
            }
            let missing = try await send(
                running, ["--conversation-id", "c1", "--to-number", "1"], credentials: false, environment: [:])
            XCTAssertEqual(missing.status, 2)
            XCTAssertTrue(missing.stderr.contains("--client-id"), missing.stderr)
            XCTAssertTrue(running.exchanges.isEmpty, "\(running.exchanges)")
        }
    }

    func testABatchOfEveryKindOfCommandIsSentInOrder() async throws {
        let reply = ErrorReply(reason: "cannot_perform_cmd", command: "block_operator")
        let decide: ECSSEmulator.CommandDecision = { request, _ in request.command == .blockOperator ? .error(reply) : .ok }
        try await withEmulator(decide: decide) { running in
            let batch = Data(
                """
                {"command": "call_hold", "conversation_id": "c-1"}
                {"command": "block_operator", "agent_id": "102"}
                {"command": "add_participant", "participants": {"conference_id": "k", "participant": [{"number": null, "conversation_id": "c-2"}]}}
                {"conversation_id": "c-3", "to_number": "1001"}
                """.utf8)
            let result = try await send(running, ["--batch", "-", "--json"], stdin: batch)
            XCTAssertEqual(result.status, 1, "an error reply with status 200 is an error reply: \(result.stderr)")
            XCTAssertEqual(
                result.lines,
                [
                    #"{"command": "call_hold", "request": {"conversation_id": "c-1", "operator_id": null}, "status": 200, "response": {"ok": true}}"#,
                    #"{"command": "block_operator", "request": {"agent_id": "102"}, "status": 200, "response": {"error": {"reason": "cannot_perform_cmd", "cmd": "block_operator", "body": null}}}"#,
                    #"{"command": "add_participant", "request": {"participants": {"conference_id": "k", "participant": [{"number": null, "conversation_id": "c-2"}]}}, "status": 200, "response": {"ok": true}}"#,
                    #"{"command": "call_consult", "conversation_id": "c-3", "request": {"conversation_id": "c-3", "to_number": "1001", "operator_id": null}, "status": 200, "response": {"ok": true}}"#,
                ])
            let answered = running.exchanges.compactMap { exchange -> ECSSRequest? in
                if case .answered(let request, _) = exchange.outcome { return request }
                return nil
            }
            XCTAssertEqual(
                answered,
                [
                    .callHold(CallHoldRequest(conversationID: "c-1")), .blockOperator(BlockOperatorRequest(agentID: "102")),
                    .addParticipant(AddParticipantRequest(conferenceID: "k", participants: [.init(conversationID: "c-2")])),
                    .callConsult(CallConsultRequest(conversationID: "c-3", toNumber: "1001")),
                ])
            let one = try await send(running, ["--command", "unblock_operator", "--attribute", "agent_id=102"])
            XCTAssertEqual(one.status, 0, one.stderr)
            XCTAssertEqual(one.lines, [#"unblock_operator {"agent_id": "102"}: ok (status 200)"#])
        }
    }

    func testBatchLineErrorsNameTheLine() async throws {
        let result = try await send(
            nil, ["--batch", "-"], stdin: Data("{\"conversation_id\": \"c1\", \"to_number\": \"1\"}\n[1]\n".utf8))
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("--batch line 2: not a JSON object"), result.stderr)
    }
}
