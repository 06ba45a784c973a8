/// The request of any command of the family, for the places that take any command: an
/// emulator's decision, a journal, a command-line tool.
///
/// ``CallConsultCodec/decodeRequest(_:command:)`` gives one; every case holds the command's
/// model, which ``ECSSCommand/init(_:)`` takes back out. New cases may be added in later
/// versions, so a `switch` needs a `default`.
public enum ECSSRequest: Sendable, Hashable, CustomStringConvertible {
    /// `login`.
    case login(LoginRequest)
    /// `call_consult`.
    case callConsult(CallConsultRequest)
    /// `call_hold`.
    case callHold(CallHoldRequest)
    /// `call_unhold`.
    case callUnhold(CallUnholdRequest)
    /// `call_unattended_transfer`.
    case callUnattendedTransfer(CallUnattendedTransferRequest)
    /// `block_operator`.
    case blockOperator(BlockOperatorRequest)
    /// `unblock_operator`.
    case unblockOperator(UnblockOperatorRequest)
    /// `auxwork`.
    case auxWork(AuxWorkRequest)
    /// `add_participant`.
    case addParticipant(AddParticipantRequest)
    /// `remove_participant`.
    case removeParticipant(RemoveParticipantRequest)
    /// `monitor`.
    case monitor(MonitorRequest)

    /// Wraps a command's request.
    public init(_ command: some ECSSCommand) {
        self = command.request
    }

    /// The command the request is for.
    public var command: CommandName {
        switch self {
        case .login: .login
        case .callConsult: .callConsult
        case .callHold: .callHold
        case .callUnhold: .callUnhold
        case .callUnattendedTransfer: .callUnattendedTransfer
        case .blockOperator: .blockOperator
        case .unblockOperator: .unblockOperator
        case .auxWork: .auxWork
        case .addParticipant: .addParticipant
        case .removeParticipant: .removeParticipant
        case .monitor: .monitor
        }
    }

    /// The command's model, as the protocol every command conforms to.
    public var model: any ECSSCommand {
        switch self {
        case .login(let request): request
        case .callConsult(let request): request
        case .callHold(let request): request
        case .callUnhold(let request): request
        case .callUnattendedTransfer(let request): request
        case .blockOperator(let request): request
        case .unblockOperator(let request): request
        case .auxWork(let request): request
        case .addParticipant(let request): request
        case .removeParticipant(let request): request
        case .monitor(let request): request
        }
    }

    /// Whether any attribute value of the request, nested ones included, is `value` exactly
    /// (the login's API key included: compare, never print).
    public func contains(value: String) -> Bool {
        switch self {
        case .login(let login): [login.clientID, login.apiKey, login.phoneNumber].contains(value)
        case .addParticipant(let add):
            add.participants.map { participants in
                participants.conferenceID == value
                    || participants.participants.contains { $0.number == value || $0.conversationID == value }
            } ?? false
        case .monitor(let monitor):
            [monitor.start, monitor.stop].contains { events in
                events?.contains { $0.name == value || $0.entity == value || $0.timestamp == value } ?? false
            }
        default: (model as? any FlatCommand)?.values.contains(value) ?? false
        }
    }

    /// The command's name and the model's description (the API key shown as `***`).
    public var description: String { "\(command) \(model)" }
}
