/// An `unblock_operator` command: unblock an operator.
///
/// Its attribute sits on `<request>` itself. Its page lists HTTP 200 only: an error reply comes
/// with 200.
///
/// The content of `<in><request agent_id="…"/></in>`. Values are exactly what an XML processor reports for the
/// attributes: references resolved, attribute-value normalization applied.
///
/// The `Codable` form uses the wire names: `agent_id`.
public struct UnblockOperatorRequest: ECSSCommand, Codable {
    /// The operator (agent) to unblock; the schema gives it no type, so any text (`agent_id`).
    public var agentID: String

    /// Creates a request.
    /// - Parameters:
    ///   - agentID: The operator (agent) to unblock; the schema gives it no type, so any text.
    public init(agentID: String) {
        self.agentID = agentID
    }

    /// `unblock_operator`.
    public static var name: CommandName { .unblockOperator }
    /// ``ECSSRequest/unblockOperator(_:)`` holding this request.
    public var request: ECSSRequest { .unblockOperator(self) }

    /// The request ``ECSSRequest/unblockOperator(_:)`` holds; `nil` for another command's.
    public init?(_ request: ECSSRequest) {
        guard case .unblockOperator(let held) = request else { return nil }
        self = held
    }

    /// Encodes the request with its wire names.
    public func encode(to encoder: any Encoder) throws { try encodeAttributes(to: encoder) }

    /// Decodes a request from its wire names.
    public init(from decoder: any Decoder) throws { self = try Self.decodeAttributes(from: decoder) }
}

extension UnblockOperatorRequest: FlatCommand {
    static let layout = FlatLayout.onRequest([("agent_id", true)])

    init?(values: [String?]) {
        guard values.count == 1, let agentID = values[0] else { return nil }
        self.init(agentID: agentID)
    }

    var values: [String?] { [agentID] }
}
