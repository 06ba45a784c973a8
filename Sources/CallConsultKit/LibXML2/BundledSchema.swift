/// The schemas compiled into the library, each compiled once per process on first use.
enum BundledSchema: Int, CaseIterable, Sendable {
    case callConsult
    case login
    case callHold
    case callUnhold
    case callUnattendedTransfer
    case blockOperator
    case unblockOperator
    case auxWork
    case addParticipant
    case removeParticipant
    case monitor
    case conferencesEvent
    case conferenceParticipantsEvent

    /// The file in `Schemas/` (and ``BundledSchemas/files``).
    var fileName: String {
        switch self {
        case .callConsult: "call_consult.xsd"
        case .login: "login.xsd"
        case .callHold: "call_hold.xsd"
        case .callUnhold: "call_unhold.xsd"
        case .callUnattendedTransfer: "call_unattended_transfer.xsd"
        case .blockOperator: "block_operator.xsd"
        case .unblockOperator: "unblock_operator.xsd"
        case .auxWork: "auxwork.xsd"
        case .addParticipant: "add_participant.xsd"
        case .removeParticipant: "remove_participant.xsd"
        case .monitor: "monitor.xsd"
        case .conferencesEvent: "conferences_event.xsd"
        case .conferenceParticipantsEvent: "conference_participants_event.xsd"
        }
    }

    /// The schema compiled, shared read-only by every parse; compiled when first asked for.
    var compiled: Result<CompiledSchema, DocumentError> {
        // Each static is initialized once, on first use, under the runtime's lock.
        switch self {
        case .callConsult: Self.callConsultSchema
        case .login: Self.loginSchema
        case .callHold: Self.callHoldSchema
        case .callUnhold: Self.callUnholdSchema
        case .callUnattendedTransfer: Self.callUnattendedTransferSchema
        case .blockOperator: Self.blockOperatorSchema
        case .unblockOperator: Self.unblockOperatorSchema
        case .auxWork: Self.auxWorkSchema
        case .addParticipant: Self.addParticipantSchema
        case .removeParticipant: Self.removeParticipantSchema
        case .monitor: Self.monitorSchema
        case .conferencesEvent: Self.conferencesEventSchema
        case .conferenceParticipantsEvent: Self.conferenceParticipantsEventSchema
        }
    }

    private static func compile(_ schema: BundledSchema) -> Result<CompiledSchema, DocumentError> {
        CompiledSchema.compile(BundledSchemas.files, main: schema.fileName, as: schema)
    }

    private static let callConsultSchema = compile(.callConsult)
    private static let loginSchema = compile(.login)
    private static let callHoldSchema = compile(.callHold)
    private static let callUnholdSchema = compile(.callUnhold)
    private static let callUnattendedTransferSchema = compile(.callUnattendedTransfer)
    private static let blockOperatorSchema = compile(.blockOperator)
    private static let unblockOperatorSchema = compile(.unblockOperator)
    private static let auxWorkSchema = compile(.auxWork)
    private static let addParticipantSchema = compile(.addParticipant)
    private static let removeParticipantSchema = compile(.removeParticipant)
    private static let monitorSchema = compile(.monitor)
    private static let conferencesEventSchema = compile(.conferencesEvent)
    private static let conferenceParticipantsEventSchema = compile(.conferenceParticipantsEvent)
}

/// The schema a parse validates against: a bundled one, or a user's (``CommandSchema``).
enum SchemaChoice {
    case bundled(BundledSchema)
    case user(CompiledSchema)
}
