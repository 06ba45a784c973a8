import CallConsultEmulator
import CallConsultKit
import XCTest

/// Stubs from Swift: matching, newest first, answers, `times`, scenarios, and the checks made
/// when one is registered.
final class StubTests: XCTestCase {
    typealias Stub = ECSSEmulator.Stub

    private static func hold(_ conversationID: String) -> String {
        #"<in><request><call_hold conversation_id="\#(conversationID)"/></request></in>"#
    }

    func testTheNewestMatchingStubAnswersAndTimesExpireIt() async throws {
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            let emulator = running.emulator
            let refuse = try emulator.addStub(
                Stub(command: .callHold, match: ["conversation_id": "c-1"], answer: .error(ErrorReply(reason: "busy"))))
            let once = try emulator.addStub(
                Stub(command: .callHold, match: ["conversation_id": "c-1"], answer: .ok, status: 202, times: 1))
            XCTAssertEqual(emulator.stubs.map(\.remaining), [nil, 1])
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            let first = try await http.send("call_hold", body: Self.hold("c-1"), cookie: cookie)
            XCTAssertEqual(first.status, 202)
            let second = try await http.send("call_hold", body: Self.hold("c-1"), cookie: cookie)
            XCTAssertEqual(second.status, 403)
            XCTAssertEqual(
                try CallConsultCodec().decodeResponse(Array(second.body.utf8), command: .callHold),
                .error(ErrorReply(reason: "busy")))
            let other = try await http.send("call_hold", body: Self.hold("c-2"), cookie: cookie)
            XCTAssertEqual(other.status, 200, "no stub matches c-2: the decision answers")
            XCTAssertEqual(running.exchanges.map(\.stub), [nil, once, refuse, nil])
            XCTAssertEqual(emulator.stubs.map(\.id), [refuse], "the stub used once expired")
        }
    }

    func testStubsApplyAfterTheSessionCheck() async throws {
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            try running.emulator.addStub(Stub(command: .callHold, answer: .ok))
            let answer = try await EmulatorHTTP(running: running).send("call_hold", body: Self.hold("c-1"))
            XCTAssertEqual(answer.status, 403)
            XCTAssertEqual(running.exchanges.last?.outcome, .refused(.noSession))
            XCTAssertEqual(running.emulator.stubs.count, 1)
        }
    }

    func testNestedAttributesAndDomainsMatch() async throws {
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            try running.emulator.addStub(
                Stub(
                    command: .addParticipant, domain: "example.domain", match: ["number": "1003"],
                    answer: .error(ErrorReply(reason: "full"))))
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            let body = String(
                decoding: try CallConsultCodec().encode(
                    AddParticipantRequest(
                        conferenceID: "conf", participants: [.init(conversationID: "x"), .init(number: "1003")])),
                as: UTF8.self)
            let answer = try await http.send("add_participant", body: body, cookie: cookie)
            XCTAssertEqual(answer.status, 200, "add_participant's error reply is a 200")
            XCTAssertTrue(answer.body.contains(#"reason="full""#), answer.body)
            let elsewhere = try await http.login(domain: "other.domain")
            let other = try await http.send("add_participant", body: body, cookie: elsewhere, domain: "other.domain")
            XCTAssertFalse(other.body.contains("full"), "the stub names another domain")
        }
    }

    func testAScenarioOrdersHoldBeforeUnhold() async throws {
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            let emulator = running.emulator
            try emulator.addStub(
                Stub(
                    command: .callUnhold, answer: .error(ErrorReply(reason: "not_held")), scenario: "hold",
                    requiredState: "Started"))
            try emulator.addStub(
                Stub(command: .callHold, answer: .ok, scenario: "hold", requiredState: "Started", newState: "held"))
            XCTAssertEqual(emulator.scenarios, ["hold": "Started"])
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            let unhold = #"<in><request><call_unhold conversation_id="c-1"/></request></in>"#
            let early = try await http.send("call_unhold", body: unhold, cookie: cookie)
            XCTAssertEqual(early.status, 403)
            _ = try await http.send("call_hold", body: Self.hold("c-1"), cookie: cookie)
            XCTAssertEqual(emulator.scenarios, ["hold": "held"])
            let late = try await http.send("call_unhold", body: unhold, cookie: cookie)
            XCTAssertEqual(late.status, 200, "no stub matches in state held: the decision answers")
            emulator.resetScenarios()
            XCTAssertEqual(emulator.scenarios, ["hold": "Started"])
        }
    }

    func testStubsTheEmulatorCouldNotCarryOutAreRefusedNamingTheField() {
        let emulator = ECSSEmulator(configuration: Fixtures.configuration())
        let cases: [(String, Stub, String)] = [
            ("answer on login", Stub(command: .login, answer: .ok), "answer"),
            ("login without a fault", Stub(command: .login), "fault"),
            ("no reason", Stub(command: .callHold, answer: .error(ErrorReply(reason: ""))), "answer.error.reason"),
            (
                "a character XML cannot carry", Stub(command: .callHold, answer: .error(ErrorReply(reason: "a\u{1}b"))),
                "answer.error"
            ),
            (
                "reset_before_body with match",
                Stub(command: .callHold, match: ["conversation_id": "c"], fault: .init(kind: .resetBeforeBody)), "match"
            ),
            ("http without status", Stub(command: .callHold, fault: .init(kind: .http)), "fault.status"),
            ("delay without delay_ms", Stub(command: .callHold, fault: .init(kind: .delay)), "fault.delay_ms"),
            ("unknown attribute", Stub(command: .callHold, match: ["agent_id": "1"]), "match.agent_id"),
            ("api_key", Stub(command: .login, match: ["api_key": "x"], fault: .init(kind: .stall)), "match.api_key"),
            ("times 0", Stub(command: .callHold, times: 0), "times"),
            ("state without scenario", Stub(command: .callHold, newState: "x"), "new_state"),
            ("answer with stall", Stub(command: .callHold, answer: .ok, fault: .init(kind: .stall)), "answer"),
            ("status 42", Stub(command: .callHold, status: 42), "status"),
            ("bad header", Stub(command: .callHold, fault: .http(status: 503, headers: ["X": "a\r\nb"])), "fault.headers.X"),
        ]
        for (label, stub, field) in cases {
            XCTAssertThrowsError(try emulator.addStub(stub), label) { error in
                XCTAssertEqual((error as? ECSSEmulator.StubError)?.field, field, "\(label): \(error)")
            }
        }
        XCTAssertTrue(emulator.stubs.isEmpty)
    }

    func testTheJSONFormRoundTripsAndRefusesUnknownFields() throws {
        let json =
            #"{"command": "call_hold", "match": {"conversation_id": "c-1"}, "answer": {"error": {"reason": "busy", "cmd": "call_hold"}}, "status": 409, "times": 2, "scenario": "s", "required_state": "Started", "new_state": "n"}"#
        let stub = try Stub(json: Array(json.utf8))
        XCTAssertEqual(
            stub,
            Stub(
                command: .callHold, match: ["conversation_id": "c-1"],
                answer: .error(ErrorReply(reason: "busy", command: "call_hold")),
                status: 409, times: 2, scenario: "s", requiredState: "Started", newState: "n"))
        XCTAssertEqual(try JSONDecoder().decode(Stub.self, from: JSONEncoder().encode(stub)), stub)
        let refused: [(String, String)] = [
            (#"{"command": "call_hold", "answr": {"ok": true}}"#, "answr"),
            (#"{"command": "call_hold", "fault": {"kind": "stall", "dealy_ms": 1}}"#, "fault.dealy_ms"),
            (#"{"command": "call_hold", "fault": {"kind": "explode"}}"#, "fault.kind"),
            (#"{"command": "hold"}"#, "command"),
            (#"{"match": {}}"#, "command"),
            (#"{"command": "call_hold", "times": "3"}"#, "times"),
            (#"{"command": "call_hold", "answer": {"ok": false}}"#, "answer.ok"),
            (#"{"command": "call_hold", "answer": {"error": {"reason": "r", "why": "x"}}}"#, "answer.error.why"),
            ("[1, 2]", ""),
            ("not json", ""),
        ]
        for (text, field) in refused {
            XCTAssertThrowsError(try Stub(json: Array(text.utf8)), text) { error in
                XCTAssertEqual((error as? ECSSEmulator.StubError)?.field, field, "\(text): \(error)")
            }
        }
    }
}
