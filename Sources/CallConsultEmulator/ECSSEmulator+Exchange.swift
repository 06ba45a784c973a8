public import CallConsultKit
public import Foundation

@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSEmulator {
    /// One request the emulator received and how it answered it.
    ///
    /// Read them with ``ECSSEmulator/exchanges`` (or ``Running/exchanges``), oldest first. A login's
    /// API key is kept only inside a `LoginRequest`, whose descriptions show it as `***`: printing,
    /// dumping or logging an exchange never shows it.
    public struct Exchange: Sendable, Hashable, CustomStringConvertible {
        /// When the request's head arrived.
        public var time: Date
        /// The domain named by the path (its first segment), or `""` when the path names none.
        public var domain: String
        /// The command the path names.
        public var command: Command
        /// What the emulator made of the request.
        public var outcome: Outcome
        /// The HTTP status answered, e.g. 200, 403, 400, 413, 404, 405; 0 when no status was
        /// sent (a fault that reset the connection or stalled, a delay the client left): see
        /// ``sentStatus``.
        public var status: Int
        /// The exchange's number: 1 for the emulator's first, then one more for each (``ECSSEmulator/exchanges(since:)``
        /// gives those after one). 0 in a record made by hand.
        public var seq: Int
        /// The id of the stub that answered it (``ECSSEmulator/addStub(_:)``); `nil`: none did.
        public var stub: String?
        /// Whether the command counts as done: a login or a command answered ok or with an error
        /// reply, or faulted after it was carried out (``Fault/Kind/carriesOut``); `false` for a
        /// refusal.
        public var carriedOut: Bool

        /// Creates an exchange record.
        public init(
            time: Date, domain: String, command: Command, outcome: Outcome, status: Int, seq: Int = 0, stub: String? = nil,
            carriedOut: Bool? = nil
        ) {
            self.time = time
            self.domain = domain
            self.command = command
            self.outcome = outcome
            self.status = status
            self.seq = seq
            self.stub = stub
            self.carriedOut = carriedOut ?? outcome.carriesOut
        }

        /// The status sent, or `nil` when none was (``status`` is 0).
        public var sentStatus: Int? { status == 0 ? nil : status }

        /// The fault that befell it, if any.
        public var fault: Fault.Kind? {
            if case .faulted(let kind, _, _) = outcome { return kind }
            return nil
        }

        /// `<status> <domain> <command>: <outcome>`, without the API key (`-` for no status).
        public var description: String {
            "\(sentStatus.map(String.init) ?? "-") \(domain.isEmpty ? "-" : domain) \(command): \(outcome)"
        }
    }

    /// The command a request's path names.
    public enum Command: Sendable, Hashable, CustomStringConvertible {
        /// `POST /<DOMAIN>/service/cc/arm/<name>` for a command of the family (`login` included).
        case named(CommandName)
        /// Any other path, as received (without its query).
        case other(path: String)

        /// `POST /<DOMAIN>/service/cc/arm/login`.
        @available(*, deprecated, message: "every command is named(CommandName): write .named(.login)")
        public static var login: Command { .named(.login) }

        /// `POST /<DOMAIN>/service/cc/arm/call_consult`.
        @available(*, deprecated, message: "every command is named(CommandName): write .named(.callConsult)")
        public static var callConsult: Command { .named(.callConsult) }

        /// The command's name (`login`, `call_hold`, …), or the path.
        public var description: String {
            switch self {
            case .named(let name): name.rawValue
            case .other(let path): path
            }
        }
    }

    /// What the emulator made of a request.
    public enum Outcome: Sendable, Hashable, CustomStringConvertible {
        /// A login with accepted credentials (``Configuration/acceptedCredentials``): 200 and a new
        /// session.
        case loggedIn(LoginRequest)
        /// A valid request of a command with a live session, and the decision that answered it
        /// (200 for `CommandResponse.ok`; an error reply with the command's
        /// `CommandName.errorStatus`, 403 or 200; for `monitor`, 200 or 404).
        case answered(ECSSRequest, CommandResponse)
        /// A refused request, and why.
        case refused(Refusal)
        /// A request a stub's fault befell: the fault, the request as decoded (`nil` when its body
        /// was never read), and the answer sent (`nil` when none was, or for a login).
        case faulted(Fault.Kind, ECSSRequest?, CommandResponse?)

        /// Whether such an outcome counts as carried out (see ``Exchange/carriedOut``).
        var carriesOut: Bool {
            switch self {
            case .loggedIn, .answered: true
            case .refused: false
            case .faulted(let kind, _, _): kind.carriesOut
            }
        }

        /// A valid `call_consult` request and its answer: `.answered(.callConsult(request), response)`.
        @available(
            *, deprecated, message: "an answered exchange holds an ECSSRequest: write .answered(.callConsult(request), response)"
        )
        public static func answered(_ request: CallConsultRequest, _ response: CommandResponse) -> Outcome {
            .answered(.callConsult(request), response)
        }

        /// A short text, without the API key.
        public var description: String {
            switch self {
            case .loggedIn(let login): "logged in \(login.clientID) \(login.phoneNumber)"
            case .answered(let request, .ok): "ok \(request)"
            case .answered(let request, .error(let reply)): "error \(reply.reason) \(request)"
            case .refused(let refusal): "refused: \(refusal)"
            case .faulted(let kind, let request, _): "fault \(kind.rawValue)" + (request.map { " \($0)" } ?? "")
            }
        }
    }

    /// Why a request was refused, and the status it was answered with.
    public enum Refusal: Sendable, Hashable, CustomStringConvertible {
        /// A login body that is valid but names credentials that are not accepted: 403 `Invalid
        /// credentials`.
        case invalidCredentials(LoginRequest)
        /// A login body that is not a valid login request: 403 `Invalid credentials`.
        case invalidLogin(DocumentError)
        /// A command without a session cookie, or with one the emulator does not know (never
        /// issued, issued for another domain, or ended): 403 `Session is not valid`.
        case noSession
        /// A command with a session that has served ``Configuration/sessionCommands`` commands
        /// or outlived ``Configuration/sessionLifetime``; the session ends: 403
        /// `Session is not valid`.
        case sessionExpired
        /// A command's body that is not a valid request of it: 400 and the error's text (its
        /// `DocumentError.Kind.code` on the first line), or 413 for
        /// `DocumentError.Kind.tooLarge`.
        case invalidRequest(DocumentError)
        /// A body longer than `DecodingLimits.maxBodyBytes`, refused before it was kept whole:
        /// 413.
        case tooLarge(maxBodyBytes: Int)
        /// A domain other than ``Configuration/domain``, or one that is not a plain name (letters,
        /// digits, `.`, `_`, `-`, `~`): 404.
        case unknownDomain
        /// A path the emulator does not serve: 404.
        case unknownPath
        /// A method other than POST on a path the emulator serves: 405.
        case methodNotAllowed(method: String)
        /// A `monitor` request naming an event outside ``Configuration/monitorEvents``: 404 and
        /// the event's name.
        case unknownEvent(name: String)

        /// The HTTP status the refusal is answered with.
        public var httpStatus: Int {
            switch self {
            case .invalidCredentials, .invalidLogin, .noSession, .sessionExpired: 403
            case .invalidRequest(let error): error.kind == .tooLarge ? 413 : 400
            case .tooLarge: 413
            case .unknownDomain, .unknownPath, .unknownEvent: 404
            case .methodNotAllowed: 405
            }
        }

        /// A stable, machine-readable name, e.g. `no_session` or `invalid_request`.
        public var code: String {
            switch self {
            case .invalidCredentials: "invalid_credentials"
            case .invalidLogin: "invalid_login"
            case .noSession: "no_session"
            case .sessionExpired: "session_expired"
            case .invalidRequest: "invalid_request"
            case .tooLarge: "too_large"
            case .unknownDomain: "unknown_domain"
            case .unknownPath: "unknown_path"
            case .methodNotAllowed: "method_not_allowed"
            case .unknownEvent: "unknown_event"
            }
        }

        /// The ``code`` and, for a document, its error's kind; never a credential.
        public var description: String {
            switch self {
            case .invalidLogin(let error), .invalidRequest(let error): "\(code) (\(error.kind.code))"
            case .invalidCredentials(let login): "\(code) (client \(login.clientID))"
            case .methodNotAllowed(let method): "\(code) (\(method))"
            case .unknownEvent(let name): "\(code) (\(name))"
            default: code
            }
        }
    }
}
