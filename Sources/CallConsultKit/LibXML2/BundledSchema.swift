/// The command schemas compiled into the library, each compiled once per process on first use.
enum BundledSchema: Int, CaseIterable, Sendable {
    /// `call_consult.xsd`, which includes `error.xsd`.
    case callConsult
    /// `login.xsd`.
    case login

    /// The file in `Schemas/` (and ``BundledSchemas/files``).
    var fileName: String {
        switch self {
        case .callConsult: "call_consult.xsd"
        case .login: "login.xsd"
        }
    }

    /// The schema compiled, shared read-only by every parse.
    var compiled: Result<CompiledSchema, DocumentError> {
        switch self {
        case .callConsult: Self.callConsultSchema
        case .login: Self.loginSchema
        }
    }

    private static let callConsultSchema = CompiledSchema.compile(
        BundledSchemas.files, main: BundledSchema.callConsult.fileName, as: .callConsult)
    private static let loginSchema = CompiledSchema.compile(
        BundledSchemas.files, main: BundledSchema.login.fileName, as: .login)
}
