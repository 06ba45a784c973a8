/// The answer to any command of the family: the content of its `<out>`.
///
/// Every command's schema declares the same `<out>`: `<response><ok/></response>`, or an
/// `<error>` of `errorType` (`login`'s allows ok only; `monitor` has none).
public enum CommandResponse: Sendable, Hashable {
    /// The command was carried out: `<out><response><ok/></response></out>`, HTTP 200.
    case ok
    /// The command failed: `<out><error reason="…" cmd="…" body="…"/></out>`, HTTP 403 or 200
    /// depending on the command (``CommandName/errorStatus``).
    case error(ErrorReply)

    /// The HTTP status ECSS-10 answers `call_consult` with: 200 for ``ok``, 403 for
    /// ``error(_:)``. Other commands differ: use ``httpStatus(for:)``.
    public var httpStatus: Int {
        httpStatus(for: .callConsult)
    }

    /// The HTTP status ECSS-10 answers `command` with: 200 for ``ok``, and
    /// ``CommandName/errorStatus`` (403, or 200 for `block_operator`, `unblock_operator`,
    /// `auxwork` and `add_participant`) for ``error(_:)``.
    public func httpStatus(for command: CommandName) -> Int {
        switch self {
        case .ok: 200
        case .error: command.errorStatus
        }
    }

    /// The `Content-Type` of an encoded response (and request) body.
    public static let contentType = "application/xml; charset=utf-8"
}

/// An `errorType` element: why ECSS-10 refused a command.
///
/// The `Codable` form uses the wire names `reason`, `cmd` and `body`. Attributes of `<error>` other
/// than these three are accepted when decoding (the schema skips them) and not kept.
public struct ErrorReply: Sendable, Hashable, Codable {
    /// The reason, e.g. ``cannotPerformCommand`` (`reason` attribute).
    public var reason: String
    /// The command the error answers, if given (`cmd` attribute).
    public var command: String?
    /// What went wrong, if given (`body` attribute), e.g. `timeout`.
    public var body: String?

    /// `cannot_perform_cmd`: the one error the vendor's pages name, for every command.
    public static let cannotPerformCommand = "cannot_perform_cmd"

    /// Creates an error reply.
    /// - Parameters:
    ///   - reason: The reason, e.g. ``cannotPerformCommand``.
    ///   - command: The command the error answers, e.g. `"call_consult"`; `nil` leaves `cmd` out.
    ///   - body: What went wrong, e.g. `"timeout"`; `nil` leaves `body` out.
    public init(reason: String, command: String? = nil, body: String? = nil) {
        self.reason = reason
        self.command = command
        self.body = body
    }

    private enum CodingKeys: String, CodingKey {
        case reason
        case command = "cmd"
        case body
    }
}

/// The answer to a `call_consult` command, now the one answer type of every command.
@available(*, deprecated, renamed: "CommandResponse", message: "every command's <out> is a CommandResponse")
public typealias CallConsultResponse = CommandResponse
