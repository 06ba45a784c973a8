import CallConsultKit
import XCTest

/// The enum of every command's request: its command, its model, wrapping and unwrapping, value
/// search and description.
final class ECSSRequestTests: XCTestCase {
    func testCommandAndModelOfEveryCase() {
        for sample in CommandSample.all {
            for request in [sample.full, sample.minimal] {
                XCTAssertEqual(request.command, sample.command)
                XCTAssertEqual(type(of: request.model).name, sample.command)
                XCTAssertEqual(request.model.request, request)
                XCTAssertEqual(ECSSRequest(request.model), request)
            }
        }
    }

    func testInitFromTheEnumTakesOnlyItsOwnCase() {
        for sample in CommandSample.all {
            for other in CommandSample.all {
                let wrapped = other.full
                let taken = unwrap(as: sample.full.model, wrapped)
                if other.command == sample.command {
                    XCTAssertEqual(taken?.request, wrapped, "\(sample.command)")
                } else {
                    XCTAssertNil(taken, "\(sample.command) took \(other.command)'s request")
                }
            }
        }
        // Concretely, as a caller writes it.
        let hold = ECSSRequest(CallHoldRequest(conversationID: "c"))
        XCTAssertEqual(CallHoldRequest(hold), CallHoldRequest(conversationID: "c"))
        XCTAssertNil(CallUnholdRequest(hold))
        XCTAssertNil(CallConsultRequest(hold))
        let block = ECSSRequest(BlockOperatorRequest(agentID: "a"))
        XCTAssertNil(UnblockOperatorRequest(block), "same shape, another command")
        XCTAssertEqual(BlockOperatorRequest(block)?.agentID, "a")
    }

    private func unwrap<Command: ECSSCommand>(as _: Command, _ request: ECSSRequest) -> Command? {
        Command(request)
    }

    func testModelNamesMatchTheirCommand() {
        let names: [(any ECSSCommand.Type, CommandName)] = [
            (LoginRequest.self, .login), (CallConsultRequest.self, .callConsult), (CallHoldRequest.self, .callHold),
            (CallUnholdRequest.self, .callUnhold), (CallUnattendedTransferRequest.self, .callUnattendedTransfer),
            (BlockOperatorRequest.self, .blockOperator), (UnblockOperatorRequest.self, .unblockOperator),
            (AuxWorkRequest.self, .auxWork), (AddParticipantRequest.self, .addParticipant),
            (RemoveParticipantRequest.self, .removeParticipant), (MonitorRequest.self, .monitor),
        ]
        for (type, name) in names {
            XCTAssertEqual(type.name, name, "\(type)")
        }
        XCTAssertEqual(Set(names.map(\.1)), Set(CommandName.allCases))
    }

    func testContainsFindsEveryAttributeValueAndNothingElse() {
        let cases: [(ECSSRequest, present: [String], absent: [String])] = [
            (
                .login(LoginRequest(clientID: "crm", apiKey: "k3y", phoneNumber: "1001")), ["crm", "k3y", "1001"],
                ["login", "client_id", "k3", ""]
            ),
            (
                .callConsult(CallConsultRequest(conversationID: "c-1", toNumber: "1002", operatorID: "op")),
                ["c-1", "1002", "op"],
                ["c", "conversation_id", ""]
            ),
            (.callHold(CallHoldRequest(conversationID: "c-1")), ["c-1"], ["", "operator_id", "call_hold"]),
            (.callUnhold(CallUnholdRequest(conversationID: "c-1", operatorID: "o")), ["c-1", "o"], ["c-"]),
            (
                .callUnattendedTransfer(
                    CallUnattendedTransferRequest(
                        originalConversationID: "a", toNumber: "b", destinationConversationID: "c", operatorID: "d",
                        workitemID: "e")),
                ["a", "b", "c", "d", "e"], ["f", ""]
            ),
            (.blockOperator(BlockOperatorRequest(agentID: "ag")), ["ag"], ["a", "agent_id"]),
            (.unblockOperator(UnblockOperatorRequest(agentID: "ag")), ["ag"], ["g"]),
            (.auxWork(AuxWorkRequest(reason: "lunch")), ["lunch"], ["Lunch", "reason"]),
            (.auxWork(AuxWorkRequest(reason: "")), [""], [" "]),
            (.removeParticipant(RemoveParticipantRequest(conferenceID: "k", participantID: "p")), ["k", "p"], ["kp"]),
            (.addParticipant(AddParticipantRequest(participants: nil)), [], ["", "conference_id"]),
            (
                .addParticipant(
                    AddParticipantRequest(
                        conferenceID: "conf", participants: [.init(number: "1002"), .init(conversationID: "c-7"), .init()])),
                ["conf", "1002", "c-7"], ["", "participant", "number"]
            ),
            (.monitor(MonitorRequest()), [], ["", "start"]),
            (
                .monitor(
                    MonitorRequest(start: [.init(name: "n1", entity: "e1")], stop: [.init(name: "n2", timestamp: "t2")])),
                ["n1", "e1", "n2", "t2"], ["", "n", "start", "stop", "event"]
            ),
            (.monitor(MonitorRequest(start: [], stop: [.init(name: "x")])), ["x"], [""]),
        ]
        for (request, present, absent) in cases {
            for value in present {
                XCTAssertTrue(request.contains(value: value), "\(request) should contain \(value.debugDescription)")
            }
            for value in absent {
                XCTAssertFalse(request.contains(value: value), "\(request) should not contain \(value.debugDescription)")
            }
        }
    }

    func testDescriptionNamesTheCommandAndNeverShowsTheAPIKey() {
        let key = "TOP-SECRET-\(UUID().uuidString)"
        let login = ECSSRequest.login(LoginRequest(clientID: "crm", apiKey: key, phoneNumber: "1001"))
        let texts = [
            login.description, "\(login)", String(describing: login), String(reflecting: login), dumped(login),
            "\(login.model)", String(reflecting: login.model), dumped(login.model),
        ]
        for text in texts {
            XCTAssertFalse(text.contains(key), "the API key leaked: \(text)")
            XCTAssertFalse(text.contains("TOP-SECRET"), "part of the API key leaked: \(text)")
        }
        XCTAssertTrue(login.description.hasPrefix("login "), login.description)
        XCTAssertTrue(login.description.contains("***"), login.description)
        XCTAssertTrue(login.description.contains("crm") && login.description.contains("1001"), login.description)
        XCTAssertTrue(login.contains(value: key), "the key is still comparable")
        for sample in CommandSample.all {
            XCTAssertTrue(sample.full.description.hasPrefix("\(sample.command.rawValue) "), sample.full.description)
        }
    }

    private func dumped(_ value: Any) -> String {
        var text = ""
        dump(value, to: &text)
        return text
    }
}
