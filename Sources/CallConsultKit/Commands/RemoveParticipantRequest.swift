/// A `remove_participant` command: remove a participant from a conference.
///
/// The content of `<in><request><remove_participant …/></request></in>`. Values are exactly what an XML processor reports for the
/// attributes: references resolved, attribute-value normalization applied.
///
/// The `Codable` form uses the wire names: `conference_id`, `participant_id`.
public struct RemoveParticipantRequest: ECSSCommand, Codable {
    /// The conference (`conference_id`).
    public var conferenceID: String
    /// The participant to remove (`participant_id`).
    public var participantID: String

    /// Creates a request.
    /// - Parameters:
    ///   - conferenceID: The conference.
    ///   - participantID: The participant to remove.
    public init(conferenceID: String, participantID: String) {
        self.conferenceID = conferenceID
        self.participantID = participantID
    }

    /// `remove_participant`.
    public static var name: CommandName { .removeParticipant }
    /// ``ECSSRequest/removeParticipant(_:)`` holding this request.
    public var request: ECSSRequest { .removeParticipant(self) }

    /// The request ``ECSSRequest/removeParticipant(_:)`` holds; `nil` for another command's.
    public init?(_ request: ECSSRequest) {
        guard case .removeParticipant(let held) = request else { return nil }
        self = held
    }

    /// Encodes the request with its wire names.
    public func encode(to encoder: any Encoder) throws { try encodeAttributes(to: encoder) }

    /// Decodes a request from its wire names.
    public init(from decoder: any Decoder) throws { self = try Self.decodeAttributes(from: decoder) }
}

extension RemoveParticipantRequest: FlatCommand {
    static let layout = FlatLayout.onChild("remove_participant", [("conference_id", true), ("participant_id", true)])

    init?(values: [String?]) {
        guard values.count == 2, let conferenceID = values[0], let participantID = values[1] else { return nil }
        self.init(conferenceID: conferenceID, participantID: participantID)
    }

    var values: [String?] { [conferenceID, participantID] }
}
