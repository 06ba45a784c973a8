import CallConsultKit
import Foundation
import XCTest

/// One command's test material: a valid multi-line request with every optional attribute given,
/// the model it decodes to, and the same with the optional attributes left out.
struct CommandSample: Sendable {
    var command: CommandName
    /// A valid request with every optional attribute given, over several lines.
    var fullXML: String
    /// What `fullXML` decodes to.
    var full: ECSSRequest
    /// A valid request with no optional attribute (and no optional element).
    var minimalXML: String
    /// What `minimalXML` decodes to.
    var minimal: ECSSRequest

    /// The request's root element: `monitor` for `monitor`, `in` for every other command.
    var root: String { command == .monitor ? "monitor" : "in" }

    /// One sample per command, in `CommandName.allCases` order.
    static let all: [CommandSample] = [
        CommandSample(
            command: .login,
            fullXML:
                "<in>\n  <request client_id=\"crm\"\n           api_key=\"secret-key\"\n           phone_number=\"1001\"/>\n</in>\n",
            full: .login(LoginRequest(clientID: "crm", apiKey: "secret-key", phoneNumber: "1001")),
            minimalXML: "<in><request client_id=\"c\" api_key=\"k\" phone_number=\"2\"/></in>",
            minimal: .login(LoginRequest(clientID: "c", apiKey: "k", phoneNumber: "2"))),
        CommandSample(
            command: .callConsult,
            fullXML:
                "<in>\n  <request>\n    <call_consult conversation_id=\"c-1\"\n                  to_number=\"1002\"\n                  operator_id=\"op-7\"/>\n  </request>\n</in>\n",
            full: .callConsult(CallConsultRequest(conversationID: "c-1", toNumber: "1002", operatorID: "op-7")),
            minimalXML: "<in><request><call_consult conversation_id=\"c-2\" to_number=\"1003\"/></request></in>",
            minimal: .callConsult(CallConsultRequest(conversationID: "c-2", toNumber: "1003"))),
        CommandSample(
            command: .callHold,
            fullXML:
                "<in>\n  <request>\n    <call_hold operator_id=\"op-7\"\n               conversation_id=\"c-1\"/>\n  </request>\n</in>\n",
            full: .callHold(CallHoldRequest(conversationID: "c-1", operatorID: "op-7")),
            minimalXML: "<in><request><call_hold conversation_id=\"0647e098a4b48b05\"/></request></in>",
            minimal: .callHold(CallHoldRequest(conversationID: "0647e098a4b48b05"))),
        CommandSample(
            command: .callUnhold,
            fullXML:
                "<in>\n  <request>\n    <call_unhold conversation_id=\"c-1\"\n                 operator_id=\"op-7\"/>\n  </request>\n</in>\n",
            full: .callUnhold(CallUnholdRequest(conversationID: "c-1", operatorID: "op-7")),
            minimalXML: "<in><request><call_unhold conversation_id=\"c-3\"/></request></in>",
            minimal: .callUnhold(CallUnholdRequest(conversationID: "c-3"))),
        CommandSample(
            command: .callUnattendedTransfer,
            fullXML:
                "<in>\n  <request>\n    <call_unattended_transfer original_conversation_id=\"c-1\"\n        to_number=\"1004\"\n        destination_conversation_id=\"c-9\"\n        operator_id=\"op-7\"\n        workitem_id=\"w-5\"/>\n  </request>\n</in>\n",
            full: .callUnattendedTransfer(
                CallUnattendedTransferRequest(
                    originalConversationID: "c-1", toNumber: "1004", destinationConversationID: "c-9", operatorID: "op-7",
                    workitemID: "w-5")),
            minimalXML:
                "<in><request><call_unattended_transfer original_conversation_id=\"o\" to_number=\"1\" destination_conversation_id=\"d\"/></request></in>",
            minimal: .callUnattendedTransfer(
                CallUnattendedTransferRequest(originalConversationID: "o", toNumber: "1", destinationConversationID: "d"))),
        CommandSample(
            command: .blockOperator,
            fullXML: "<in>\n  <request\n      agent_id=\"agent-12\"/>\n</in>\n",
            full: .blockOperator(BlockOperatorRequest(agentID: "agent-12")),
            minimalXML: "<in><request agent_id=\"7\"/></in>",
            minimal: .blockOperator(BlockOperatorRequest(agentID: "7"))),
        CommandSample(
            command: .unblockOperator,
            fullXML: "<in>\n  <request\n      agent_id=\"agent-12\"/>\n</in>\n",
            full: .unblockOperator(UnblockOperatorRequest(agentID: "agent-12")),
            minimalXML: "<in><request agent_id=\"8\"/></in>",
            minimal: .unblockOperator(UnblockOperatorRequest(agentID: "8"))),
        CommandSample(
            command: .auxWork,
            fullXML: "<in>\n  <request>\n    <auxwork\n       reason=\"lunch\"/>\n  </request>\n</in>\n",
            full: .auxWork(AuxWorkRequest(reason: "lunch")),
            minimalXML: "<in><request><auxwork reason=\"\"/></request></in>",
            minimal: .auxWork(AuxWorkRequest(reason: ""))),
        CommandSample(
            command: .addParticipant,
            fullXML:
                "<in>\n  <request>\n    <add_to_conference>\n      <participants conference_id=\"conf-1\">\n        <participant number=\"1002\"/>\n        <participant conversation_id=\"c-7\"/>\n        <participant number=\"1003\" conversation_id=\"c-8\"/>\n        <participant/>\n      </participants>\n    </add_to_conference>\n  </request>\n</in>\n",
            full: .addParticipant(
                AddParticipantRequest(
                    conferenceID: "conf-1",
                    participants: [
                        .init(number: "1002"), .init(conversationID: "c-7"), .init(number: "1003", conversationID: "c-8"),
                        .init(),
                    ])),
            minimalXML: "<in><request><add_to_conference/></request></in>",
            minimal: .addParticipant(AddParticipantRequest(participants: nil))),
        CommandSample(
            command: .removeParticipant,
            fullXML:
                "<in>\n  <request>\n    <remove_participant conference_id=\"conf-1\"\n                        participant_id=\"p-4\"/>\n  </request>\n</in>\n",
            full: .removeParticipant(RemoveParticipantRequest(conferenceID: "conf-1", participantID: "p-4")),
            minimalXML: "<in><request><remove_participant conference_id=\"a\" participant_id=\"b\"/></request></in>",
            minimal: .removeParticipant(RemoveParticipantRequest(conferenceID: "a", participantID: "b"))),
        CommandSample(
            command: .monitor,
            fullXML:
                "<monitor>\n  <start>\n    <event name=\"conferences\" entity=\"op-7\" timestamp=\"1700000000\"/>\n    <event name=\"calls\"/>\n  </start>\n  <stop>\n    <event name=\"queues\" entity=\"q-1\"/>\n  </stop>\n</monitor>\n",
            full: .monitor(
                MonitorRequest(
                    start: [.init(name: "conferences", entity: "op-7", timestamp: "1700000000"), .init(name: "calls")],
                    stop: [.init(name: "queues", entity: "q-1")])),
            minimalXML: "<monitor/>",
            minimal: .monitor(MonitorRequest())),
    ]

    /// The sample of `command`.
    static func of(_ command: CommandName) -> CommandSample {
        all.first { $0.command == command }!
    }
}

/// `decodeRequest(_:command:)` as a `Result`.
func decodeRequest(_ body: [UInt8], command: CommandName, codec: CallConsultCodec = codec) -> Result<
    ECSSRequest, DocumentError
> {
    Result { () throws(DocumentError) in try codec.decodeRequest(body, command: command) }
}

/// `decodeResponse(_:command:)` as a `Result`.
func decodeResponse(_ body: [UInt8], command: CommandName, codec: CallConsultCodec = codec) -> Result<
    CommandResponse, DocumentError
> {
    Result { () throws(DocumentError) in try codec.decodeResponse(body, command: command) }
}

/// `decode(_:from:)` for the model type of `model` (an opened existential).
func decodeModel<Command: ECSSCommand>(like model: Command, from body: [UInt8]) throws -> Command {
    try codec.decode(Command.self, from: body)
}

/// `encode(_:)` of a model given as the protocol (an opened existential).
func encodeModel<Command: ECSSCommand>(_ model: Command) throws -> [UInt8] {
    try codec.encode(model)
}

extension DocumentError {
    /// The issues as xmllint prints them: `line: element: message`.
    var xmllintForm: [String] { issues.map { "\($0.line): \($0.element ?? "-"): \($0.message)" } }
}
