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
        switch self {
        case .login(let login):
            switch name {
            case "client_id": return login.clientID == value
            case "phone_number": return login.phoneNumber == value
            default: return false
            }
        case .callConsult(let request):
            return pick(
                name,
                ["conversation_id": request.conversationID, "to_number": request.toNumber, "operator_id": request.operatorID],
                value)
        case .callHold(let request):
            return pick(name, ["conversation_id": request.conversationID, "operator_id": request.operatorID], value)
        case .callUnhold(let request):
            return pick(name, ["conversation_id": request.conversationID, "operator_id": request.operatorID], value)
        case .callUnattendedTransfer(let request):
            return pick(
                name,
                [
                    "original_conversation_id": request.originalConversationID, "to_number": request.toNumber,
                    "destination_conversation_id": request.destinationConversationID, "operator_id": request.operatorID,
                    "workitem_id": request.workitemID,
                ], value)
        case .blockOperator(let request): return name == "agent_id" && request.agentID == value
        case .unblockOperator(let request): return name == "agent_id" && request.agentID == value
        case .auxWork(let request): return name == "reason" && request.reason == value
        case .removeParticipant(let request):
            return pick(name, ["conference_id": request.conferenceID, "participant_id": request.participantID], value)
        case .addParticipant(let request):
            guard let list = request.participants else { return false }
            switch name {
            case "conference_id": return list.conferenceID == value
            case "number": return list.participants.contains { $0.number == value }
            case "conversation_id": return list.participants.contains { $0.conversationID == value }
            default: return false
            }
        case .monitor(let request):
            let events = (request.start ?? []) + (request.stop ?? [])
            switch name {
            case "name": return events.contains { $0.name == value }
            case "entity": return events.contains { $0.entity == value }
            case "timestamp": return events.contains { $0.timestamp == value }
            default: return false
            }
        }
    }

    private func pick(_ name: String, _ values: [String: String?], _ value: String) -> Bool {
        values[name].map { $0 == value } ?? false
    }
}

extension ECSSRequest {
    /// Every value the attribute `name` has (for a nested one, one per participant or event that
    /// has it); empty when it has none. The login's `api_key` is never one. Slower than
    /// ``has(_:_:)``, for reports only.
    func values(of name: String) -> [String] {
        func one(_ values: [String: String?]) -> [String] { values[name].flatMap { $0 }.map { [$0] } ?? [] }
        switch self {
        case .login(let login): return one(["client_id": login.clientID, "phone_number": login.phoneNumber])
        case .callConsult(let request):
            return one(
                ["conversation_id": request.conversationID, "to_number": request.toNumber, "operator_id": request.operatorID])
        case .callHold(let request): return one(["conversation_id": request.conversationID, "operator_id": request.operatorID])
        case .callUnhold(let request):
            return one(["conversation_id": request.conversationID, "operator_id": request.operatorID])
        case .callUnattendedTransfer(let request):
            return one([
                "original_conversation_id": request.originalConversationID, "to_number": request.toNumber,
                "destination_conversation_id": request.destinationConversationID, "operator_id": request.operatorID,
                "workitem_id": request.workitemID,
            ])
        case .blockOperator(let request): return one(["agent_id": request.agentID])
        case .unblockOperator(let request): return one(["agent_id": request.agentID])
        case .auxWork(let request): return one(["reason": request.reason])
        case .removeParticipant(let request):
            return one(["conference_id": request.conferenceID, "participant_id": request.participantID])
        case .addParticipant(let request):
            guard let list = request.participants else { return [] }
            switch name {
            case "conference_id": return [list.conferenceID]
            case "number": return list.participants.compactMap(\.number)
            case "conversation_id": return list.participants.compactMap(\.conversationID)
            default: return []
            }
        case .monitor(let request):
            let events = (request.start ?? []) + (request.stop ?? [])
            switch name {
            case "name": return events.map(\.name)
            case "entity": return events.compactMap(\.entity)
            case "timestamp": return events.compactMap(\.timestamp)
            default: return []
            }
        }
    }
}
