/// Why a call to ECSS-10 failed: a stable ``kind``, the HTTP status when there was one, a
/// message, whether the command may have reached the server, and the underlying error.
///
/// An ECSS-10 refusal (`<out><error reason=…/>`) is not an `ECSSClientError`: it is an answer,
/// returned as `CommandResponse.error`. Task cancellation is not one either: a cancelled call
/// throws `CancellationError` unchanged.
///
/// The API key and the session cookie's value appear in no ``message`` or ``description``; text
/// quoted from an answer (``bodyExcerpt``) is cut to ``excerptLength`` characters, with control
/// characters escaped.
public struct ECSSClientError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure. A struct with static members rather than an enum, so that kinds can be
    /// added without breaking anyone's `switch`; ``code`` is stable and is what
    /// `callconsult send --json` prints as `failure.kind`.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        /// `authentication`, `transport`, `timeout`, `unexpected_status`, `invalid_response`,
        /// `invalid_configuration` or `unsupported_command`.
        public let code: String

        private init(_ code: String) { self.code = code }

        /// The login was refused (``ECSSClientError/status`` and the server's text in
        /// ``ECSSClientError/bodyExcerpt``).
        public static let authentication = Kind("authentication")
        /// The connection failed: connect, TLS, reset or closed before a whole answer.
        public static let transport = Kind("transport")
        /// The call's timeout passed (connect, login, re-login, command and answer included).
        public static let timeout = Kind("timeout")
        /// An answer of a status or content type ECSS-10 does not give, or a session refused again
        /// right after a new login: status, content type and the first bytes of the body are kept.
        public static let unexpectedStatus = Kind("unexpected_status")
        /// An XML answer that is not a valid `<out>` document (or one over the size limit):
        /// ``ECSSClientError/cause`` is the `DocumentError`.
        public static let invalidResponse = Kind("invalid_response")
        /// The configuration cannot be used (a base URL that is not http or https, no host, an
        /// empty domain, a timeout that is not positive, a negative `limits.maxBodyBytes`); thrown by ``ECSSClient/init(configuration:httpClient:)`` only.
        public static let invalidConfiguration = Kind("invalid_configuration")
        /// A command the client does not send: a `login` given to ``ECSSClient/send(_:logger:)-(ECSSRequest,Logger?)``
        /// (the client logs in by itself; call ``ECSSClient/login(logger:)``). Nothing was sent.
        public static let unsupportedCommand = Kind("unsupported_command")

        /// ``code``.
        public var description: String { code }
    }

    /// How many characters of an answer's body ``bodyExcerpt`` keeps: 200.
    public static let excerptLength = 200

    /// The kind of failure.
    public var kind: Kind
    /// The HTTP status of the answer, when one came.
    public var status: Int?
    /// What went wrong, in one line.
    public var message: String
    /// Whether the command's request may have reached the server (and so may have been carried
    /// out): `false` when the failure came before it was sent (login, connect, TLS handshake), or
    /// when the answer says it was not carried out (a session refused again after a new login);
    /// `true` after. No command of the family is idempotent: the client never resends a request
    /// that may have been delivered, and neither should its caller without checking.
    public var mayHaveBeenDelivered: Bool
    /// The answer's `Content-Type`, when one came.
    public var contentType: String?
    /// The start of the answer's body (at most ``excerptLength`` characters, control characters
    /// escaped, trimmed), when one came.
    public var bodyExcerpt: String?
    /// The underlying error: a `DocumentError` for ``Kind/invalidResponse``, AsyncHTTPClient's or
    /// NIO's error for ``Kind/transport`` and ``Kind/timeout``.
    public var cause: (any Error & Sendable)?
    /// The failures of the call's earlier attempts, oldest first, each retried because nothing
    /// of it was sent (see ``ECSSClient/RetryPolicy``); empty when the call made one attempt.
    /// This error is the last attempt's.
    public var previousAttempts: [ECSSClientError]

    /// How many attempts the call made: ``previousAttempts`` and this one.
    public var attempts: Int { previousAttempts.count + 1 }

    /// Whether it is certain that no byte of the request left the client: the connection or TLS
    /// handshake failed, or no connection came from the pool (see `TransportFailure`). Only
    /// such a failure is retried.
    var nothingSent = false

    /// Creates an error.
    public init(
        kind: Kind, status: Int? = nil, message: String, mayHaveBeenDelivered: Bool, contentType: String? = nil,
        bodyExcerpt: String? = nil, cause: (any Error & Sendable)? = nil, previousAttempts: [ECSSClientError] = []
    ) {
        self.kind = kind
        self.status = status
        self.message = message
        self.mayHaveBeenDelivered = mayHaveBeenDelivered
        self.contentType = contentType
        self.bodyExcerpt = bodyExcerpt
        self.cause = cause
        self.previousAttempts = previousAttempts
    }

    /// `<code>: <message>` then, when known, the status, the content type, the body's start and
    /// whether the request may have been delivered, and, after retries, the number of attempts
    /// and why each earlier one failed; one line.
    public var description: String {
        var text = "\(kind.code): \(message)"
        if let status { text += " (status \(status)" + (contentType.map { ", \($0)" } ?? "") + ")" }
        if let bodyExcerpt, !bodyExcerpt.isEmpty { text += ", body: \(bodyExcerpt)" }
        if mayHaveBeenDelivered { text += "; the request may have been delivered" }
        if !previousAttempts.isEmpty {
            let earlier = previousAttempts.enumerated().map { "\($0.offset + 1): \($0.element.kind.code): \($0.element.message)" }
            text += "; \(attempts) attempts, earlier ones failed before sending (\(earlier.joined(separator: "; ")))"
        }
        return text
    }
}
