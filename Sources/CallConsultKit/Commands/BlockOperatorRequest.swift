/// A `block_operator` command: block an operator.
///
/// Its attribute sits on `<request>` itself. ECSS-10 answers its error replies with HTTP 200.
///
/// The content of `<in><request agent_id="…"/></in>`. Values are exactly what an XML processor reports for the
/// attributes: references resolved, attribute-value normalization applied.
///
/// The `Codable` form uses the wire names: `agent_id`.
public struct BlockOperatorRequest: ECSSCommand, Codable {
    /// The operator (agent) to block; the schema gives it no type, so any text (`agent_id`).
    public var agentID: String

    /// Creates a request.
    /// - Parameters:
    ///   - agentID: The operator (agent) to block; the schema gives it no type, so any text.
    public init(agentID: String) {
        self.agentID = agentID
    }

    /// `block_operator`.
    public static var name: CommandName { .blockOperator }
    /// ``ECSSRequest/blockOperator(_:)`` holding this request.
    public var request: ECSSRequest { .blockOperator(self) }

    /// The request ``ECSSRequest/blockOperator(_:)`` holds; `nil` for another command's.
    public init?(_ request: ECSSRequest) {
        guard case .blockOperator(let held) = request else { return nil }
        self = held
    }

    /// Encodes the request with its wire names.
    public func encode(to encoder: any Encoder) throws { try encodeAttributes(to: encoder) }

    /// Decodes a request from its wire names.
    public init(from decoder: any Decoder) throws { self = try Self.decodeAttributes(from: decoder) }
}

extension BlockOperatorRequest: FlatCommand {
    static let layout = FlatLayout.onRequest([("agent_id", true)])

    init?(values: [String?]) {
        guard values.count == 1, let agentID = values[0] else { return nil }
        self.init(agentID: agentID)
    }

    var values: [String?] { [agentID] }
}
