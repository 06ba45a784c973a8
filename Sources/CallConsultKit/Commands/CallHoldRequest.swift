/// A `call_hold` command: put a conversation on hold.
///
/// The content of `<in><request><call_hold …/></request></in>`. Values are exactly what an XML processor reports for the
/// attributes: references resolved, attribute-value normalization applied.
///
/// The `Codable` form uses the wire names: `conversation_id`, `operator_id` (an absent optional one is `null`).
public struct CallHoldRequest: ECSSCommand, Codable {
    /// The conversation to put on hold (`conversation_id`).
    public var conversationID: String
    /// The operator who holds it; `nil` means the operator who sent the request (`operator_id`).
    public var operatorID: String?

    /// Creates a request.
    /// - Parameters:
    ///   - conversationID: The conversation to put on hold.
    ///   - operatorID: The operator who holds it; `nil` means the operator who sent the request.
    public init(conversationID: String, operatorID: String? = nil) {
        self.conversationID = conversationID
        self.operatorID = operatorID
    }

    /// `call_hold`.
    public static var name: CommandName { .callHold }
    /// ``ECSSRequest/callHold(_:)`` holding this request.
    public var request: ECSSRequest { .callHold(self) }

    /// The request ``ECSSRequest/callHold(_:)`` holds; `nil` for another command's.
    public init?(_ request: ECSSRequest) {
        guard case .callHold(let held) = request else { return nil }
        self = held
    }

    /// Encodes the request with its wire names; an absent optional attribute is written as `null`.
    public func encode(to encoder: any Encoder) throws { try encodeAttributes(to: encoder) }

    /// Decodes a request from its wire names; an optional attribute may be absent or `null`.
    public init(from decoder: any Decoder) throws { self = try Self.decodeAttributes(from: decoder) }
}

extension CallHoldRequest: FlatCommand {
    static let layout = FlatLayout.onChild("call_hold", [("conversation_id", true), ("operator_id", false)])

    init?(values: [String?]) {
        guard values.count == 2, let conversationID = values[0] else { return nil }
        self.init(conversationID: conversationID, operatorID: values[1])
    }

    var values: [String?] { [conversationID, operatorID] }
}
