import CallConsultKit
import Foundation
import XCTest

/// The `Codable` form of every command's model: wire names, `null` for what is absent, and
/// decoding that accepts absent or `null` optional keys and refuses a missing required one.
final class CommandCodableTests: XCTestCase {
    /// The JSON of each sample's full and minimal model, keys sorted (login has no Codable form:
    /// its API key is never written by the type).
    static let expected: [CommandName: (full: String, minimal: String)] = [
        .callConsult: (
            #"{"conversation_id":"c-1","operator_id":"op-7","to_number":"1002"}"#,
            #"{"conversation_id":"c-2","operator_id":null,"to_number":"1003"}"#
        ),
        .callHold: (
            #"{"conversation_id":"c-1","operator_id":"op-7"}"#, #"{"conversation_id":"0647e098a4b48b05","operator_id":null}"#
        ),
        .callUnhold: (#"{"conversation_id":"c-1","operator_id":"op-7"}"#, #"{"conversation_id":"c-3","operator_id":null}"#),
        .callUnattendedTransfer: (
            #"{"destination_conversation_id":"c-9","operator_id":"op-7","original_conversation_id":"c-1","to_number":"1004","workitem_id":"w-5"}"#,
            #"{"destination_conversation_id":"d","operator_id":null,"original_conversation_id":"o","to_number":"1","workitem_id":null}"#
        ),
        .blockOperator: (#"{"agent_id":"agent-12"}"#, #"{"agent_id":"7"}"#),
        .unblockOperator: (#"{"agent_id":"agent-12"}"#, #"{"agent_id":"8"}"#),
        .auxWork: (#"{"reason":"lunch"}"#, #"{"reason":""}"#),
        .addParticipant: (
            #"{"participants":{"conference_id":"conf-1","participant":[{"conversation_id":null,"number":"1002"},{"conversation_id":"c-7","number":null},{"conversation_id":"c-8","number":"1003"},{"conversation_id":null,"number":null}]}}"#,
            #"{"participants":null}"#
        ),
        .removeParticipant: (
            #"{"conference_id":"conf-1","participant_id":"p-4"}"#, #"{"conference_id":"a","participant_id":"b"}"#
        ),
        .monitor: (
            #"{"start":[{"entity":"op-7","name":"conferences","timestamp":"1700000000"},{"entity":null,"name":"calls","timestamp":null}],"stop":[{"entity":"q-1","name":"queues","timestamp":null}]}"#,
            #"{"start":null,"stop":null}"#
        ),
    ]

    private static func encoded(_ model: any ECSSCommand) throws -> String? {
        guard let encodable = model as? any Encodable else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(encodable), as: UTF8.self)
    }

    private static func decoded(like model: any ECSSCommand, from json: String) throws -> ECSSRequest? {
        guard let type = type(of: model) as? any Decodable.Type else { return nil }
        return try (decode(type, json) as? any ECSSCommand)?.request
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    func testEveryModelEncodesItsWireNamesWithNullForAbsent() throws {
        for sample in CommandSample.all where sample.command != .login {
            let expected = try XCTUnwrap(Self.expected[sample.command], "\(sample.command)")
            XCTAssertEqual(try Self.encoded(sample.full.model), expected.full, "\(sample.command)")
            XCTAssertEqual(try Self.encoded(sample.minimal.model), expected.minimal, "\(sample.command)")
            XCTAssertEqual(try Self.decoded(like: sample.full.model, from: expected.full), sample.full)
            XCTAssertEqual(try Self.decoded(like: sample.minimal.model, from: expected.minimal), sample.minimal)
        }
        XCTAssertNil(try Self.encoded(CommandSample.of(.login).full.model), "login has no Codable form")
    }

    func testAbsentOptionalKeysDecodeAsNil() throws {
        let cases: [(String, ECSSRequest)] = [
            (#"{"conversation_id":"c","to_number":"1"}"#, .callConsult(CallConsultRequest(conversationID: "c", toNumber: "1"))),
            (#"{"conversation_id":"c"}"#, .callHold(CallHoldRequest(conversationID: "c"))),
            (#"{"conversation_id":"c","operator_id":null,"other":1}"#, .callUnhold(CallUnholdRequest(conversationID: "c"))),
            (
                #"{"original_conversation_id":"o","to_number":"1","destination_conversation_id":"d","workitem_id":"w"}"#,
                .callUnattendedTransfer(
                    CallUnattendedTransferRequest(
                        originalConversationID: "o", toNumber: "1", destinationConversationID: "d", workitemID: "w"))
            ),
            (#"{}"#, .addParticipant(AddParticipantRequest(participants: nil))),
            (
                #"{"participants":{"conference_id":"k","participant":[{},{"number":"1"},{"conversation_id":"c","number":null}]}}"#,
                .addParticipant(
                    AddParticipantRequest(
                        conferenceID: "k", participants: [.init(), .init(number: "1"), .init(conversationID: "c")]))
            ),
            (#"{}"#, .monitor(MonitorRequest())),
            (#"{"start":[]}"#, .monitor(MonitorRequest(start: []))),
            (
                #"{"stop":[{"name":"n"},{"name":"m","entity":null,"timestamp":"t"}],"start":null}"#,
                .monitor(MonitorRequest(stop: [.init(name: "n"), .init(name: "m", timestamp: "t")]))
            ),
        ]
        for (json, expected) in cases {
            XCTAssertEqual(try Self.decoded(like: expected.model, from: json), expected, json)
        }
    }

    func testMissingRequiredKeysThrow() {
        let cases: [(String, any ECSSCommand)] = [
            (#"{"to_number":"1"}"#, CallConsultRequest(conversationID: "c", toNumber: "1")),
            (#"{"conversation_id":"c"}"#, CallConsultRequest(conversationID: "c", toNumber: "1")),
            (#"{"operator_id":"o"}"#, CallHoldRequest(conversationID: "c")),
            (#"{"conversation_id":null}"#, CallUnholdRequest(conversationID: "c")),
            (
                #"{"original_conversation_id":"o","to_number":"1"}"#,
                CallUnattendedTransferRequest(originalConversationID: "o", toNumber: "1", destinationConversationID: "d")
            ),
            (#"{}"#, BlockOperatorRequest(agentID: "a")),
            (#"{"agentID":"a"}"#, UnblockOperatorRequest(agentID: "a")),
            (#"{"reason":1}"#, AuxWorkRequest(reason: "r")),
            (#"{"conference_id":"k"}"#, RemoveParticipantRequest(conferenceID: "k", participantID: "p")),
            (#"{"participants":{"participant":[]}}"#, AddParticipantRequest(participants: nil)),
            (#"{"participants":{"conference_id":"k"}}"#, AddParticipantRequest(participants: nil)),
            (#"{"start":[{"entity":"e"}]}"#, MonitorRequest()),
            (#"{"stop":{"name":"n"}}"#, MonitorRequest()),
        ]
        for (json, model) in cases {
            XCTAssertThrowsError(try Self.decoded(like: model, from: json), "\(type(of: model)) decoded \(json)")
        }
    }

    func testCommandNameCodesAsItsWireText() throws {
        let names = try JSONEncoder().encode(CommandName.allCases)
        XCTAssertEqual(
            String(decoding: names, as: UTF8.self),
            #"["login","call_consult","call_hold","call_unhold","call_unattended_transfer","block_operator","unblock_operator","auxwork","add_participant","remove_participant","monitor"]"#
        )
        XCTAssertEqual(try JSONDecoder().decode([CommandName].self, from: names), CommandName.allCases)
        XCTAssertThrowsError(try JSONDecoder().decode([CommandName].self, from: Data(#"["call_pickup"]"#.utf8)))
    }
}
