extension ECSSRequest {
    /// The request's members as `callconsult validate --json` prints its `request` object, in
    /// order: every attribute the command's schema declares for it, by its XML name, with its
    /// value as a JSON string or `null` when absent; `participants` for `add_participant`, `start`
    /// and `stop` for `monitor`. Each value is JSON text. The login's `api_key` is `"***"`.
    package var jsonMembers: [(key: String, value: String)] {
        func string(_ value: String?) -> String { value.map(JSONString.quoted) ?? "null" }
        switch self {
        case .login(let login):
            return [
                ("client_id", string(login.clientID)), ("api_key", string("***")), ("phone_number", string(login.phoneNumber)),
            ]
        case .addParticipant(let add):
            guard let participants = add.participants else { return [("participants", "null")] }
            let list = participants.participants.map {
                #"{"number": \#(string($0.number)), "conversation_id": \#(string($0.conversationID))}"#
            }
            return [
                (
                    "participants",
                    #"{"conference_id": \#(string(participants.conferenceID)), "participant": [\#(list.joined(separator: ", "))]}"#
                )
            ]
        case .monitor(let monitor):
            func events(_ list: [MonitorEvent]?) -> String {
                guard let list else { return "null" }
                let objects = list.map {
                    #"{"name": \#(string($0.name)), "entity": \#(string($0.entity)), "timestamp": \#(string($0.timestamp))}"#
                }
                return "[" + objects.joined(separator: ", ") + "]"
            }
            return [("start", events(monitor.start)), ("stop", events(monitor.stop))]
        default:
            guard let flat = model as? any FlatCommand else { return [] }
            return zip(type(of: flat).layout.names, flat.values).map { ($0, string($1)) }
        }
    }

    /// A flat command's attributes that are present, by XML name, with their values as sent (the
    /// login's `api_key` included: never print them); `nil` for `add_participant` and `monitor`.
    package var flatAttributes: [(name: String, value: String)]? {
        guard let flat = model as? any FlatCommand else { return nil }
        return zip(type(of: flat).layout.names, flat.values).compactMap { name, value in value.map { (name, $0) } }
    }

    /// The request as one JSON object on one line: ``jsonMembers`` in order.
    package var jsonObject: String {
        "{" + jsonMembers.map { "\(JSONString.quoted($0.key)): \($0.value)" }.joined(separator: ", ") + "}"
    }

    /// The keys of the request's JSON object for `command`, in order (see ``jsonMembers``).
    package static func jsonKeys(of command: CommandName) -> [String] {
        if let type = flatCommandType(of: command) { return type.layout.names }
        return command == .addParticipant ? ["participants"] : ["start", "stop"]
    }

    /// The flat commands' attribute names and whether each is required; `nil` for `add_participant`
    /// and `monitor`, whose requests are structured.
    package static func attributes(of command: CommandName) -> [(name: String, required: Bool)]? {
        flatCommandType(of: command)?.layout.attributes.map { ($0.name.description, $0.required) }
    }
}

extension ECSSRequest {
    /// The request of a flat command (every command but `add_participant` and `monitor`) from its
    /// attribute values in the order of ``attributes(of:)``; `nil` when a required one is `nil`,
    /// the count is wrong, or the command is a structured one.
    package init?(command: CommandName, values: [String?]) {
        func make<Command: FlatCommand>(_: Command.Type) -> ECSSRequest? {
            Command.layout.attributes.count == values.count ? Command(values: values)?.request : nil
        }
        guard let type = flatCommandType(of: command), let made = make(type) else { return nil }
        self = made
    }
}
