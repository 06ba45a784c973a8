/// A `call_consult` command: connect an operator to a live conversation in consultation mode.
///
/// This is the content of `<in><request><call_consult …/></request></in>`. Values are exactly what
/// an XML processor reports for the attributes: character and entity references resolved and
/// attribute-value normalization applied (a literal tab or line break becomes a space).
///
/// The `Codable` form uses the wire names: `conversation_id`, `to_number` and `operator_id`
/// (`null` when absent).
public struct CallConsultRequest: Sendable, Hashable, Codable {
    /// The conversation the operator is connected to (`conversation_id`).
    public var conversationID: String
    /// The number to consult (`to_number`).
    public var toNumber: String
    /// The operator to connect (`operator_id`); `nil` means the operator who sent the request.
    public var operatorID: String?

    /// Creates a request.
    /// - Parameters:
    ///   - conversationID: The conversation the operator is connected to.
    ///   - toNumber: The number to consult.
    ///   - operatorID: The operator to connect; `nil` (the default) means the operator who asks.
    public init(conversationID: String, toNumber: String, operatorID: String? = nil) {
        self.conversationID = conversationID
        self.toNumber = toNumber
        self.operatorID = operatorID
    }

    private enum CodingKeys: String, CodingKey {
        case conversationID = "conversation_id"
        case toNumber = "to_number"
        case operatorID = "operator_id"
    }

    /// Encodes the request with its wire names; an absent operator is written as `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(conversationID, forKey: .conversationID)
        try container.encode(toNumber, forKey: .toNumber)
        try container.encode(operatorID, forKey: .operatorID)
    }

    /// Decodes a request from its wire names; `operator_id` may be absent or `null`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        conversationID = try container.decode(String.self, forKey: .conversationID)
        toNumber = try container.decode(String.self, forKey: .toNumber)
        operatorID = try container.decodeIfPresent(String.self, forKey: .operatorID)
    }
}

extension CallConsultRequest: ECSSCommand {
    /// `call_consult`.
    public static var name: CommandName { .callConsult }
    /// ``ECSSRequest/callConsult(_:)`` holding this request.
    public var request: ECSSRequest { .callConsult(self) }

    /// The request ``ECSSRequest/callConsult(_:)`` holds; `nil` for another command's.
    public init?(_ request: ECSSRequest) {
        guard case .callConsult(let held) = request else { return nil }
        self = held
    }
}

extension CallConsultRequest: FlatCommand {
    static let layout = FlatLayout.onChild(
        "call_consult", [("conversation_id", true), ("to_number", true), ("operator_id", false)])

    init?(values: [String?]) {
        guard values.count == 3, let conversationID = values[0], let toNumber = values[1] else { return nil }
        self.init(conversationID: conversationID, toNumber: toNumber, operatorID: values[2])
    }

    var values: [String?] { [conversationID, toNumber, operatorID] }
}
