/// An `add_participant` command: add participants to a conference.
///
/// It follows the published `add_participant.xsd`, whose child of `<request>` is
/// `add_to_conference`:
///
/// ```xml
/// <in><request><add_to_conference>
///   <participants conference_id="conf-1">
///     <participant number="1002"/>
///     <participant conversation_id="c-7"/>
///   </participants>
/// </add_to_conference></request></in>
/// ```
///
/// The vendor's websocket example differs: it sends a child named `add_participant` with a
/// `conference_id` attribute on it, a document that fails the published schema (and so is
/// refused here, as `not_valid`). Which one a real server accepts is not documented; the schema
/// is what a validator can hold a document to. ECSS-10 answers its error replies with HTTP 200.
///
/// The `Codable` form: `{"participants": null}` or `{"participants": {"conference_id": "…",
/// "participant": [{"number": "…" or null, "conversation_id": "…" or null}, …]}}`.
public struct AddParticipantRequest: ECSSCommand, Codable {
    /// The `<participants>` element, if the request has one (the schema makes it optional).
    public var participants: ParticipantList?

    /// Creates a request.
    /// - Parameter participants: The conference and the participants to add; `nil` sends an
    ///   empty `<add_to_conference/>`.
    public init(participants: ParticipantList?) {
        self.participants = participants
    }

    /// Creates a request adding `participants` to the conference `conferenceID`.
    public init(conferenceID: String, participants: [Participant]) {
        self.participants = ParticipantList(conferenceID: conferenceID, participants: participants)
    }

    /// `<participants conference_id="…">`: a conference and the participants to add to it.
    public struct ParticipantList: Sendable, Hashable, Codable {
        /// The conference (`conference_id`).
        public var conferenceID: String
        /// The `<participant>` elements, in document order (JSON key `participant`).
        public var participants: [Participant]

        /// Creates a list.
        public init(conferenceID: String, participants: [Participant]) {
            self.conferenceID = conferenceID
            self.participants = participants
        }

        private enum CodingKeys: String, CodingKey {
            case conferenceID = "conference_id"
            case participants = "participant"
        }
    }

    /// `<participant number? conversation_id?/>`: whom to add. If `number` is given,
    /// `conversation_id` is ignored (the schema's comment); both are optional.
    public struct Participant: Sendable, Hashable, Codable {
        /// The number to call in (`number`).
        public var number: String?
        /// A conversation whose participant to add (`conversation_id`).
        public var conversationID: String?

        /// Creates a participant.
        public init(number: String? = nil, conversationID: String? = nil) {
            self.number = number
            self.conversationID = conversationID
        }

        private enum CodingKeys: String, CodingKey {
            case number
            case conversationID = "conversation_id"
        }

        /// Writes both keys, `null` when absent.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(number, forKey: .number)
            try container.encode(conversationID, forKey: .conversationID)
        }
    }

    /// `add_participant`.
    public static var name: CommandName { .addParticipant }
    /// ``ECSSRequest/addParticipant(_:)`` holding this request.
    public var request: ECSSRequest { .addParticipant(self) }

    /// The request ``ECSSRequest/addParticipant(_:)`` holds; `nil` for another command's.
    public init?(_ request: ECSSRequest) {
        guard case .addParticipant(let held) = request else { return nil }
        self = held
    }

    private enum CodingKeys: String, CodingKey {
        case participants
    }

    /// Writes `participants`, `null` when absent.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(participants, forKey: .participants)
    }

    /// The `<in>` document, valid against `add_participant.xsd`.
    func encodeDocument() throws(EncodingError) -> [UInt8] {
        guard let participants else {
            return try DocumentWriter.write([.markup("<in><request><add_to_conference/></request></in>\n")])
        }
        var parts: [DocumentWriter.Part] = [
            .markup("<in><request><add_to_conference><participants"),
            .attribute(name: "conference_id", value: participants.conferenceID), .markup(">"),
        ]
        for participant in participants.participants {
            parts.append(.markup("<participant"))
            if let number = participant.number { parts.append(.attribute(name: "number", value: number)) }
            if let id = participant.conversationID { parts.append(.attribute(name: "conversation_id", value: id)) }
            parts.append(.markup("/>"))
        }
        parts.append(.markup("</participants></add_to_conference></request></in>\n"))
        return try DocumentWriter.write(parts)
    }
}
