import CallConsultEmulator
import CallConsultKit
import NIOConcurrencyHelpers
import XCTest

/// Every command of the family over loopback: the path, the session rule, the decision over the
/// enum of requests, the command's own schema and error status in the answer.
final class CommandFamilyTests: XCTestCase {
    /// A request of every command but login, with values a test can find again.
    static let requests: [ECSSRequest] = [
        .callConsult(CallConsultRequest(conversationID: "c-1", toNumber: "1001", operatorID: "7")),
        .callHold(CallHoldRequest(conversationID: "c-1")),
        .callUnhold(CallUnholdRequest(conversationID: "c-1", operatorID: "7")),
        .callUnattendedTransfer(
            CallUnattendedTransferRequest(
                originalConversationID: "c-1", toNumber: "1002", destinationConversationID: "c-2", workitemID: "w-9")),
        .blockOperator(BlockOperatorRequest(agentID: "102")),
        .unblockOperator(UnblockOperatorRequest(agentID: "102")),
        .auxWork(AuxWorkRequest(reason: "lunch")),
        .addParticipant(
            AddParticipantRequest(conferenceID: "conf-1", participants: [.init(number: "1003"), .init(conversationID: "c-3")])),
        .removeParticipant(RemoveParticipantRequest(conferenceID: "conf-1", participantID: "p-2")),
        .monitor(MonitorRequest(start: [MonitorEvent(name: "conferences", entity: "7")], stop: [])),
    ]

    private static func body(_ request: ECSSRequest) throws -> String {
        String(decoding: try CallConsultCodec().encode(request), as: UTF8.self)
    }

    func testEveryCommandIsDecodedAndAnsweredOkWithItsOwnSchema() async throws {
        let seen = NIOLockedValueBox<[ECSSRequest]>([])
        let decide: ECSSEmulator.CommandDecision = { request, domain in
            XCTAssertEqual(domain, "example.domain")
            seen.withLockedValue { $0.append(request) }
            return .ok
        }
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration(), answering: decide) { running in
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            for request in Self.requests {
                let command = request.command
                let answer = try await http.send(command.rawValue, body: try Self.body(request), cookie: cookie)
                XCTAssertEqual(answer.status, 200, "\(command): \(answer.body)")
                if command == .monitor {
                    XCTAssertEqual(answer.body, "", "monitor has no <out>")
                    continue
                }
                XCTAssertTrue(
                    answer.body.contains(#"xs:noNamespaceSchemaLocation="\#(command.schemaFileName)""#),
                    "\(command): \(answer.body)")
                XCTAssertEqual(try CallConsultCodec().decodeResponse(Array(answer.body.utf8), command: command), .ok)
            }
            XCTAssertEqual(seen.withLockedValue { $0 }, Self.requests)
            let answered = running.exchanges.compactMap { exchange -> ECSSRequest? in
                if case .answered(let request, .ok) = exchange.outcome { return request }
                return nil
            }
            XCTAssertEqual(answered, Self.requests)
            XCTAssertEqual(running.exchanges.dropFirst().map(\.command), Self.requests.map { .named($0.command) })
        }
    }

    func testAnErrorReplyHasTheCommandsStatus() async throws {
        let decide: ECSSEmulator.CommandDecision = { request, _ in
            .error(ErrorReply(reason: ErrorReply.cannotPerformCommand, command: request.command.rawValue, body: "busy"))
        }
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration(), answering: decide) { running in
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            for request in Self.requests {
                let command = request.command
                let answer = try await http.send(command.rawValue, body: try Self.body(request), cookie: cookie)
                if command == .monitor {
                    XCTAssertEqual(answer.status, 404, "monitor's error is a 404")
                    continue
                }
                let expected =
                    [CommandName.blockOperator, .unblockOperator, .auxWork, .addParticipant].contains(command) ? 200 : 403
                XCTAssertEqual(answer.status, expected, "\(command)")
                XCTAssertEqual(
                    try CallConsultCodec().decodeResponse(Array(answer.body.utf8), command: command),
                    .error(ErrorReply(reason: "cannot_perform_cmd", command: command.rawValue, body: "busy")), "\(command)")
            }
        }
    }

    func testEveryCommandNeedsALiveSessionAndAValidBodyOfItsOwn() async throws {
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            let http = EmulatorHTTP(running: running)
            for request in Self.requests {
                let answer = try await http.send(request.command.rawValue, body: try Self.body(request))
                XCTAssertEqual(answer.status, 403, "\(request.command) without a session")
                XCTAssertEqual(answer.body, "Session is not valid")
            }
            let cookie = try await http.login()
            // A call_consult body sent to call_hold is not a call_hold request.
            let wrong = try await http.send("call_hold", body: Fixtures.consult(), cookie: cookie)
            XCTAssertEqual(wrong.status, 400)
            XCTAssertTrue(wrong.body.hasPrefix("not_valid\n"), wrong.body)
            // The vendor's add_participant example fails the published schema.
            let example = try await http.send(
                "add_participant", body: #"<in><request><add_participant conference_id="c"/></request></in>"#, cookie: cookie)
            XCTAssertEqual(example.status, 400, example.body)
            let get = try await http.send("call_hold", body: nil, cookie: cookie, method: .GET)
            XCTAssertEqual(get.status, 405)
            XCTAssertEqual(
                running.exchanges.suffix(3).map(\.outcome).map { outcome -> String in
                    if case .refused(let refusal) = outcome { return refusal.code }
                    return "\(outcome)"
                }, ["invalid_request", "invalid_request", "method_not_allowed"])
        }
    }

    func testMonitorAnswers404ForAnEventOutsideTheConfiguredSet() async throws {
        var configuration = Fixtures.configuration()
        configuration.monitorEvents = ["conferences"]
        try await ECSSEmulator.withRunning(configuration: configuration) { running in
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            let known = try await http.send(
                "monitor", body: #"<monitor><start><event name="conferences"/></start></monitor>"#, cookie: cookie)
            XCTAssertEqual(known.status, 200)
            let unknown = try await http.send(
                "monitor",
                body: #"<monitor><start><event name="conferences"/></start><stop><event name="weather"/></stop></monitor>"#,
                cookie: cookie)
            XCTAssertEqual(unknown.status, 404)
            XCTAssertEqual(unknown.body, "Unknown event: weather\n")
            XCTAssertEqual(running.exchanges.last?.outcome, .refused(.unknownEvent(name: "weather")))
            XCTAssertEqual(running.exchanges.last?.status, 404)
        }
    }

    func testSessionCommandsCountEveryCommand() async throws {
        var configuration = Fixtures.configuration()
        configuration.sessionCommands = 2
        try await ECSSEmulator.withRunning(configuration: configuration) { running in
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            let hold = try await http.send("call_hold", body: try Self.body(Self.requests[1]), cookie: cookie)
            let block = try await http.send("block_operator", body: try Self.body(Self.requests[4]), cookie: cookie)
            let third = try await http.send("auxwork", body: try Self.body(Self.requests[6]), cookie: cookie)
            XCTAssertEqual([hold.status, block.status, third.status], [200, 200, 403])
            XCTAssertEqual(running.exchanges.last?.outcome, .refused(.sessionExpired))
        }
    }
}
