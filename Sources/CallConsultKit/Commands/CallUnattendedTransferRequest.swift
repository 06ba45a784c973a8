/// A `call_unattended_transfer` command: a blind transfer of a conversation.
///
/// The schema requires both `to_number` and `destination_conversation_id`, although its comment
/// says the active conversation's id may be given "instead of the number" (the transfer then goes
/// to that conversation's participant).
///
/// The content of `<in><request><call_unattended_transfer …/></request></in>`. Values are exactly what an XML processor reports for the
/// attributes: references resolved, attribute-value normalization applied.
///
/// The `Codable` form uses the wire names: `original_conversation_id`, `to_number`, `destination_conversation_id`, `operator_id`, `workitem_id` (an absent optional one is `null`).
public struct CallUnattendedTransferRequest: ECSSCommand, Codable {
    /// The conversation to transfer (`original_conversation_id`).
    public var originalConversationID: String
    /// The number to transfer it to (`to_number`).
    public var toNumber: String
    /// An active conversation whose participant's number the transfer goes to (`destination_conversation_id`).
    public var destinationConversationID: String
    /// The operator who transfers; `nil` means the operator who sent the request (`operator_id`).
    public var operatorID: String?
    /// The work item the transfer belongs to, if any (`workitem_id`).
    public var workitemID: String?

    /// Creates a request.
    /// - Parameters:
    ///   - originalConversationID: The conversation to transfer.
    ///   - toNumber: The number to transfer it to.
    ///   - destinationConversationID: An active conversation whose participant's number the transfer goes to.
    ///   - operatorID: The operator who transfers; `nil` means the operator who sent the request.
    ///   - workitemID: The work item the transfer belongs to, if any.
    public init(
        originalConversationID: String, toNumber: String, destinationConversationID: String, operatorID: String? = nil,
        workitemID: String? = nil
    ) {
        self.originalConversationID = originalConversationID
        self.toNumber = toNumber
        self.destinationConversationID = destinationConversationID
        self.operatorID = operatorID
        self.workitemID = workitemID
    }

    /// `call_unattended_transfer`.
    public static var name: CommandName { .callUnattendedTransfer }
    /// ``ECSSRequest/callUnattendedTransfer(_:)`` holding this request.
    public var request: ECSSRequest { .callUnattendedTransfer(self) }

    /// The request ``ECSSRequest/callUnattendedTransfer(_:)`` holds; `nil` for another command's.
    public init?(_ request: ECSSRequest) {
        guard case .callUnattendedTransfer(let held) = request else { return nil }
        self = held
    }

    /// Encodes the request with its wire names; an absent optional attribute is written as `null`.
    public func encode(to encoder: any Encoder) throws { try encodeAttributes(to: encoder) }

    /// Decodes a request from its wire names; an optional attribute may be absent or `null`.
    public init(from decoder: any Decoder) throws { self = try Self.decodeAttributes(from: decoder) }
}

extension CallUnattendedTransferRequest: FlatCommand {
    static let layout = FlatLayout.onChild(
        "call_unattended_transfer",
        [
            ("original_conversation_id", true), ("to_number", true), ("destination_conversation_id", true),
            ("operator_id", false), ("workitem_id", false),
        ])

    init?(values: [String?]) {
        guard values.count == 5, let originalConversationID = values[0], let toNumber = values[1],
            let destinationConversationID = values[2]
        else { return nil }
        self.init(
            originalConversationID: originalConversationID, toNumber: toNumber,
            destinationConversationID: destinationConversationID, operatorID: values[3], workitemID: values[4])
    }

    var values: [String?] { [originalConversationID, toNumber, destinationConversationID, operatorID, workitemID] }
}
