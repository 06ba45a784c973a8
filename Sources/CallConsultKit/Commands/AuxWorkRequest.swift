/// An `auxwork` command: put the operator in the "away" (auxiliary work) state, with a reason.
///
/// ECSS-10 answers its error replies with HTTP 200.
///
/// The content of `<in><request><auxwork …/></request></in>`. Values are exactly what an XML processor reports for the
/// attributes: references resolved, attribute-value normalization applied.
///
/// The `Codable` form uses the wire names: `reason`.
public struct AuxWorkRequest: ECSSCommand, Codable {
    /// Why the operator is away (`reason`).
    public var reason: String

    /// Creates a request.
    /// - Parameters:
    ///   - reason: Why the operator is away.
    public init(reason: String) {
        self.reason = reason
    }

    /// `auxwork`.
    public static var name: CommandName { .auxWork }
    /// ``ECSSRequest/auxWork(_:)`` holding this request.
    public var request: ECSSRequest { .auxWork(self) }

    /// The request ``ECSSRequest/auxWork(_:)`` holds; `nil` for another command's.
    public init?(_ request: ECSSRequest) {
        guard case .auxWork(let held) = request else { return nil }
        self = held
    }

    /// Encodes the request with its wire names.
    public func encode(to encoder: any Encoder) throws { try encodeAttributes(to: encoder) }

    /// Decodes a request from its wire names.
    public init(from decoder: any Decoder) throws { self = try Self.decodeAttributes(from: decoder) }
}

extension AuxWorkRequest: FlatCommand {
    static let layout = FlatLayout.onChild("auxwork", [("reason", true)])

    init?(values: [String?]) {
        guard values.count == 1, let reason = values[0] else { return nil }
        self.init(reason: reason)
    }

    var values: [String?] { [reason] }
}
