import CallConsultKit

/// A request's attribute values by XML name, nested ones included, for the stubs' `match`.
extension ECSSRequest {
    /// The names a stub of `command` may match on: every attribute its schema declares (for
    /// `add_participant`, `conference_id` and each participant's `number` and `conversation_id`;
    /// for `monitor`, each event's `name`, `entity` and `timestamp`). The login's `api_key` is not
    /// one: a secret is never written into a stub.
    static func matchableAttributes(of command: CommandName) -> Set<String> {
        if command == .addParticipant { return ["conference_id", "number", "conversation_id"] }
        if command == .monitor { return ["name", "entity", "timestamp"] }
        return Set((attributes(of: command) ?? []).map(\.name)).subtracting(["api_key"])
    }

    /// Whether the attribute `name` has `value` (for a nested one, in any participant or event).
    func has(_ name: String, _ value: String) -> Bool {
        anyValue(of: name) { $0 == value }
    }

    /// Every value the attribute `name` has (for a nested one, one per participant or event that
    /// has it); empty when it has none. The login's `api_key` is never one.
    func values(of name: String) -> [String] {
        var values: [String] = []
        _ = anyValue(of: name) { value in
            values.append(value)
            return false
        }
        return values
    }

    /// Calls `body` with each value of the attribute `name`, in document order, until it returns
    /// `true`; whether it did. Allocates nothing: the data plane asks this of every request while
    /// stubs are registered.
    func anyValue(of name: String, where body: (String) -> Bool) -> Bool {
        func one(_ value: String?) -> Bool { value.map(body) ?? false }
        switch self {
        case .login(let login):
            switch name {
            case "client_id": return one(login.clientID)
            case "phone_number": return one(login.phoneNumber)
            default: return false
            }
        case .callConsult(let request):
            switch name {
            case "conversation_id": return one(request.conversationID)
            case "to_number": return one(request.toNumber)
            case "operator_id": return one(request.operatorID)
            default: return false
            }
        case .callHold(let request):
            return Self.heldCall(name, request.conversationID, request.operatorID, body)
        case .callUnhold(let request):
            return Self.heldCall(name, request.conversationID, request.operatorID, body)
        case .callUnattendedTransfer(let request):
            switch name {
            case "original_conversation_id": return one(request.originalConversationID)
            case "to_number": return one(request.toNumber)
            case "destination_conversation_id": return one(request.destinationConversationID)
            case "operator_id": return one(request.operatorID)
            case "workitem_id": return one(request.workitemID)
            default: return false
            }
        case .blockOperator(let request): return name == "agent_id" && one(request.agentID)
        case .unblockOperator(let request): return name == "agent_id" && one(request.agentID)
        case .auxWork(let request): return name == "reason" && one(request.reason)
        case .removeParticipant(let request):
            switch name {
            case "conference_id": return one(request.conferenceID)
            case "participant_id": return one(request.participantID)
            default: return false
            }
        case .addParticipant(let request):
            guard let list = request.participants else { return false }
            switch name {
            case "conference_id": return body(list.conferenceID)
            case "number": return list.participants.contains { one($0.number) }
            case "conversation_id": return list.participants.contains { one($0.conversationID) }
            default: return false
            }
        case .monitor(let request):
            return Self.events(request.start, name, body) || Self.events(request.stop, name, body)
        }
    }

    /// call_hold's and call_unhold's attributes.
    private static func heldCall(
        _ name: String, _ conversationID: String, _ operatorID: String?, _ body: (String) -> Bool
    ) -> Bool {
        switch name {
        case "conversation_id": return body(conversationID)
        case "operator_id": return operatorID.map(body) ?? false
        default: return false
        }
    }

    /// The values of `name` in monitor's `start` or `stop` events.
    private static func events(_ events: [MonitorEvent]?, _ name: String, _ body: (String) -> Bool) -> Bool {
        guard let events else { return false }
        switch name {
        case "name": return events.contains { body($0.name) }
        case "entity": return events.contains { $0.entity.map(body) ?? false }
        case "timestamp": return events.contains { $0.timestamp.map(body) ?? false }
        default: return false
        }
    }
}
