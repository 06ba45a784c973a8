/// A command of ECSS-10's call-centre HTTP API, by the name its path ends with:
/// `POST /<DOMAIN>/service/cc/arm/<name>`.
///
/// Every command this package ships has a static member (``callConsult``, ``callHold``, …) and is
/// in ``allCases``; ``init(rawValue:)`` finds one by its wire name. New members may be added in
/// later versions, so a `switch` over names needs a `default`.
///
/// | name | request | error reply answered with |
/// |---|---|---|
/// | `login` | on `<request>`: `client_id`, `api_key`, `phone_number` | (403 plain text) |
/// | `call_consult` | child `call_consult`: `conversation_id`, `to_number`, `operator_id`? | 403 |
/// | `call_hold` | child `call_hold`: `conversation_id`, `operator_id`? | 403 |
/// | `call_unhold` | child `call_unhold`: `conversation_id`, `operator_id`? | 403 |
/// | `call_unattended_transfer` | child `call_unattended_transfer`: `original_conversation_id`, `to_number`, `destination_conversation_id`, `operator_id`?, `workitem_id`? | 403 |
/// | `block_operator` | on `<request>`: `agent_id` | 200 |
/// | `unblock_operator` | on `<request>`: `agent_id` | 200 |
/// | `auxwork` | child `auxwork`: `reason` | 200 |
/// | `add_participant` | child `add_to_conference`: `<participants conference_id>` of `<participant number? conversation_id?>` | 200 |
/// | `remove_participant` | child `remove_participant`: `conference_id`, `participant_id` | 403 |
/// | `monitor` | root `<monitor>`: `<start>`?, `<stop>`?, each of `<event name entity? timestamp?>` | (no `<out>`: 200, or 404) |
public struct CommandName: Sendable, Hashable, Codable, RawRepresentable, CustomStringConvertible {
    /// The name as the path writes it, e.g. `call_hold`.
    public let rawValue: String

    /// The name of a command this package ships; `nil` for any other text.
    public init?(rawValue: String) {
        guard let known = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = known
    }

    private init(_ rawValue: String) { self.rawValue = rawValue }

    /// `login`: authenticate, before any other command.
    public static let login = CommandName("login")
    /// `call_consult`: connect an operator to a conversation in consultation mode.
    public static let callConsult = CommandName("call_consult")
    /// `call_hold`: put a conversation on hold.
    public static let callHold = CommandName("call_hold")
    /// `call_unhold`: take a conversation off hold.
    public static let callUnhold = CommandName("call_unhold")
    /// `call_unattended_transfer`: blind transfer of a conversation.
    public static let callUnattendedTransfer = CommandName("call_unattended_transfer")
    /// `block_operator`: block an operator.
    public static let blockOperator = CommandName("block_operator")
    /// `unblock_operator`: unblock an operator.
    public static let unblockOperator = CommandName("unblock_operator")
    /// `auxwork`: put the operator in the "away" (auxiliary work) state, with a reason.
    public static let auxWork = CommandName("auxwork")
    /// `add_participant`: add participants to a conference (its schema's element is `add_to_conference`).
    public static let addParticipant = CommandName("add_participant")
    /// `remove_participant`: remove a conference participant.
    public static let removeParticipant = CommandName("remove_participant")
    /// `monitor`: subscribe to, or unsubscribe from, events; its document is `<monitor>`, with no `<out>` answer.
    public static let monitor = CommandName("monitor")

    /// Every command this package ships, login first.
    public static let allCases: [CommandName] = [
        .login, .callConsult, .callHold, .callUnhold, .callUnattendedTransfer, .blockOperator, .unblockOperator,
        .auxWork, .addParticipant, .removeParticipant, .monitor,
    ]

    /// The HTTP status ECSS-10 answers an error reply (`<out><error …/></out>`) of this command with:
    /// 200 for `block_operator`, `unblock_operator`, `auxwork` and `add_participant` (their pages say
    /// errors come in the body of a 200), 403 for the others. An ok answer is always 200. So the
    /// status never tells ok from error: the `<out>` does.
    public var errorStatus: Int {
        switch rawValue {
        case "block_operator", "unblock_operator", "auxwork", "add_participant": 200
        default: 403
        }
    }

    /// Whether the command is answered with an `<out>` document: every command but `monitor`.
    public var hasResponseDocument: Bool { self != .monitor }

    /// The file name of the command's schema, e.g. `call_hold.xsd`: what an `<out>` names in
    /// `xs:noNamespaceSchemaLocation`.
    public var schemaFileName: String { rawValue + ".xsd" }

    /// The name itself.
    public var description: String { rawValue }

    /// Decodes a name from its wire text; any text that names no shipped command is an error.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let name = CommandName(rawValue: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "'\(text)' names no command of the family"))
        }
        self = name
    }

    /// Encodes the wire text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The bundled schema the command's documents are held to.
    var schema: BundledSchema {
        switch rawValue {
        case "login": .login
        case "call_consult": .callConsult
        case "call_hold": .callHold
        case "call_unhold": .callUnhold
        case "call_unattended_transfer": .callUnattendedTransfer
        case "block_operator": .blockOperator
        case "unblock_operator": .unblockOperator
        case "auxwork": .auxWork
        case "add_participant": .addParticipant
        case "remove_participant": .removeParticipant
        default: .monitor
        }
    }

    /// The root of the command's request: `in`, or `monitor` for `monitor`.
    var requestRoot: DocumentRoot { self == .monitor ? .monitor : .request }
}
