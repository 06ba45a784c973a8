import CallConsultClient
import CallConsultKit
import Logging
import NIOHTTP1

/// One command of the family as the tests send it: its request, and the client's typed method
/// for it.
struct FamilyCase: Sendable {
    /// The request the test sends.
    let request: ECSSRequest
    /// Sends ``request`` with the command's typed method.
    let typed: @Sendable (ECSSClient, Logger?) async throws -> CommandResponse

    init<Command: ECSSCommand>(
        _ request: Command, _ method: @escaping @Sendable (ECSSClient, Command, Logger?) async throws -> CommandResponse
    ) {
        self.request = request.request
        self.typed = { client, logger in try await method(client, request, logger) }
    }

    /// The command's name.
    var name: CommandName { request.command }

    /// Every command answered with an `<out>` (all but `login` and `monitor`), each with values
    /// in every attribute it has.
    static let all: [FamilyCase] = [
        FamilyCase(sampleRequest) { try await $0.callConsult($1, logger: $2) },
        FamilyCase(CallHoldRequest(conversationID: "c-hold", operatorID: "42")) { try await $0.callHold($1, logger: $2) },
        FamilyCase(CallUnholdRequest(conversationID: "c-unhold")) { try await $0.callUnhold($1, logger: $2) },
        FamilyCase(
            CallUnattendedTransferRequest(
                originalConversationID: "c-orig", toNumber: "2002", destinationConversationID: "c-dest", operatorID: "42",
                workitemID: "w-9")
        ) { try await $0.callUnattendedTransfer($1, logger: $2) },
        FamilyCase(BlockOperatorRequest(agentID: "agent-7")) { try await $0.blockOperator($1, logger: $2) },
        FamilyCase(UnblockOperatorRequest(agentID: "agent-7")) { try await $0.unblockOperator($1, logger: $2) },
        FamilyCase(AuxWorkRequest(reason: "lunch")) { try await $0.auxWork($1, logger: $2) },
        FamilyCase(
            AddParticipantRequest(conferenceID: "conf-1", participants: [.init(number: "1002"), .init(conversationID: "c-7")])
        ) { try await $0.addParticipant($1, logger: $2) },
        FamilyCase(RemoveParticipantRequest(conferenceID: "conf-1", participantID: "p-3")) {
            try await $0.removeParticipant($1, logger: $2)
        },
    ]

    /// A `monitor` request with a `<start>` and a `<stop>`.
    static let monitorRequest = MonitorRequest(
        start: [MonitorEvent(name: "conferences", entity: "operator-7")], stop: [MonitorEvent(name: "conference_participants")])
}

extension FakeECSS {
    /// An `<out>` answer to `command` as ECSS-10's examples write it (naming its schema).
    static func answer(_ response: CommandResponse, to command: CommandName, status: HTTPResponseStatus = .ok)
        -> TestServer.Action
    {
        let body = (try? CallConsultCodec().encode(response, command: command, declaringSchemaLocation: true)) ?? []
        return .respond(status, xml, body)
    }

    /// The error reply a test server gives `command`.
    static func errorReply(to command: CommandName) -> ErrorReply {
        ErrorReply(reason: ErrorReply.cannotPerformCommand, command: command.rawValue, body: "timeout")
    }

    /// A plain-text 403: a lost session.
    static let sessionLost = TestServer.Action.respond(.forbidden, [("Content-Type", "text/plain")], Array("no session".utf8))
}
