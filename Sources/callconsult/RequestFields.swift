import ArgumentParser
import CallConsultKit
import Foundation

/// A command's request from the JSON object `validate --json` prints as `request` (its fields at
/// the top level of a `send --batch` line, or `request --fields`): every attribute by its XML
/// name; `null` or absent for an optional one (nested ones included); no other key.
enum RequestFields {
    /// The request `object` describes for `command`; a `ValidationError` naming the first field
    /// that is missing, of the wrong type, or not declared by the command's schema.
    static func request(_ command: CommandName, from object: [String: Any]) throws -> ECSSRequest {
        if let attributes = ECSSRequest.attributes(of: command) {
            try refuseUnknownKeys(in: object, known: attributes.map(\.name), at: "")
            let values = try attributes.map { try string(object[$0.name], key: $0.name, required: $0.required) }
            guard let request = ECSSRequest(command: command, values: values) else {
                throw ValidationError("the fields do not make a \(command) request")
            }
            return request
        }
        if command == .addParticipant {
            try refuseUnknownKeys(in: object, known: ["participants"], at: "")
            return .addParticipant(AddParticipantRequest(participants: try participants(object["participants"])))
        }
        try refuseUnknownKeys(in: object, known: ["start", "stop"], at: "")
        return .monitor(
            MonitorRequest(start: try events(object["start"], key: "start"), stop: try events(object["stop"], key: "stop")))
    }

    private static func participants(_ value: Any?) throws -> AddParticipantRequest.ParticipantList? {
        guard let value, !(value is NSNull) else { return nil }
        guard let object = value as? [String: Any] else { throw ValidationError("participants is not an object or null") }
        try refuseUnknownKeys(in: object, known: ["conference_id", "participant"], at: "participants.")
        let conferenceID = try string(object["conference_id"], key: "participants.conference_id", required: true) ?? ""
        var list: [AddParticipantRequest.Participant] = []
        switch object["participant"] {
        case nil, is NSNull: break
        case let items as [Any]:
            for (index, item) in items.enumerated() {
                let path = "participants.participant[\(index)]"
                guard let participant = item as? [String: Any] else { throw ValidationError("\(path) is not an object") }
                try refuseUnknownKeys(in: participant, known: ["number", "conversation_id"], at: path + ".")
                list.append(
                    .init(
                        number: try string(participant["number"], key: path + ".number", required: false),
                        conversationID: try string(
                            participant["conversation_id"], key: path + ".conversation_id", required: false)))
            }
        default: throw ValidationError("participants.participant is not a list or null")
        }
        return .init(conferenceID: conferenceID, participants: list)
    }

    private static func events(_ value: Any?, key: String) throws -> [MonitorEvent]? {
        guard let value, !(value is NSNull) else { return nil }
        guard let items = value as? [Any] else { throw ValidationError("\(key) is not a list or null") }
        return try items.enumerated().map { index, item in
            let path = "\(key)[\(index)]"
            guard let event = item as? [String: Any] else { throw ValidationError("\(path) is not an object") }
            try refuseUnknownKeys(in: event, known: ["name", "entity", "timestamp"], at: path + ".")
            return MonitorEvent(
                name: try string(event["name"], key: path + ".name", required: true) ?? "",
                entity: try string(event["entity"], key: path + ".entity", required: false),
                timestamp: try string(event["timestamp"], key: path + ".timestamp", required: false))
        }
    }

    /// A string field: a string, or for an optional one `null` or absent.
    private static func string(_ value: Any?, key: String, required: Bool) throws -> String? {
        switch value {
        case let text as String: return text
        case nil, is NSNull:
            if required { throw ValidationError("\(key) is missing or not a string") }
            return nil
        default: throw ValidationError("\(key) is not a string")
        }
    }

    private static func refuseUnknownKeys(in object: [String: Any], known: [String], at path: String) throws {
        if let unknown = object.keys.filter({ !known.contains($0) }).sorted().first {
            throw ValidationError("unknown key \(ValidationReport.quoted(path + unknown))")
        }
    }
}
