public import AsyncHTTPClient
public import CallConsultKit
public import Logging
import NIOCore

/// A client of ECSS-10's call-centre HTTP API: logs in, keeps the session, and sends
/// `call_consult`.
///
/// ```swift
/// let client = try ECSSClient(configuration: .init(
///     baseURL: "http://ecss.example:8089", domain: "example.domain",
///     credentials: LoginRequest(clientID: "crm", apiKey: key, phoneNumber: "1001")))
/// switch try await client.callConsult(CallConsultRequest(conversationID: id, toNumber: "1001")) {
/// case .ok: …
/// case .error(let reply): …  // reply.reason, reply.command, reply.body
/// }
/// ```
///
/// One client is meant to be shared by many tasks. It logs in before its first command, and
/// concurrent callers share that login. It does no background work, and it never shuts down the
/// `HTTPClient` it was given (`HTTPClient.shared` by default): the owner of that client does.
///
/// Every call has one deadline, ``Configuration/timeout`` after it starts, covering any login,
/// the command and its answer. Calls throw ``ECSSClientError``, `CancellationError` when the
/// calling task is cancelled (the request in flight is cancelled with it), or, for a request
/// holding a character XML 1.0 cannot carry, CallConsultKit's `EncodingError` before anything is
/// sent. See <doc:CallingECSS10> for sessions, retries and errors.
public final class ECSSClient: Sendable {
    /// The configuration the client was created with.
    public let configuration: Configuration

    let httpClient: HTTPClient
    let endpoint: Endpoint
    let codec: CallConsultCodec
    let session = ClientSession()

    /// Creates a client; nothing is sent until the first call.
    /// - Parameters:
    ///   - configuration: The server, domain, credentials, timeout and limits.
    ///   - httpClient: The `HTTPClient` requests go through: `.shared` by default, or one of your
    ///     own (for a TLS configuration that trusts a private certificate authority, say). It is
    ///     borrowed, never shut down.
    /// - Throws: ``ECSSClientError/Kind/invalidConfiguration`` when the base URL is not an http or
    ///   https URL with a host, the domain is empty, the timeout is not positive, or
    ///   `limits.maxBodyBytes` is negative.
    public init(configuration: Configuration, httpClient: HTTPClient = .shared) throws(ECSSClientError) {
        self.endpoint = try Endpoint.parse(baseURL: configuration.baseURL, domain: configuration.domain)
        guard configuration.timeout > .zero else {
            throw ECSSClientError(
                kind: .invalidConfiguration, message: "the timeout is not positive", mayHaveBeenDelivered: false)
        }
        guard configuration.limits.maxBodyBytes >= 0 else {
            throw ECSSClientError(
                kind: .invalidConfiguration,
                message: "limits.maxBodyBytes is negative (\(configuration.limits.maxBodyBytes))", mayHaveBeenDelivered: false)
        }
        self.configuration = configuration
        self.httpClient = httpClient
        self.codec = CallConsultCodec(limits: configuration.limits)
    }

    /// Logs in now, replacing the current session if there is one (callers waiting for a login
    /// in flight share this one). Commands log in by themselves when needed: call this to check
    /// the credentials early.
    /// - Parameter logger: Where the client logs, at debug and trace only; silent by default.
    /// - Throws: ``ECSSClientError`` (``ECSSClientError/Kind/authentication`` when the credentials
    ///   are refused) or `CancellationError`.
    public func login(logger: Logger? = nil) async throws {
        let logger = logger ?? Self.silentLogger
        let deadline = ContinuousClock.now + configuration.timeout
        let progress = CommandProgress()
        try await Self.withDeadline(deadline, progress: progress, on: httpClient.eventLoopGroup.any()) {
            await self.session.invalidateAll()
            _ = try await self.currentSession(deadline: deadline, logger: logger)
        }
    }

    /// Sends `call_consult` and returns ECSS-10's answer: `.ok`, or `.error` with the reason,
    /// cmd and body ECSS-10 gave, whatever the HTTP status that carried it.
    ///
    /// Logs in first when there is no session. An answer that is not an `<out>` document with
    /// status 401 or 403 means the session was lost and the command not carried out: the client
    /// logs in again once and sends the command once more. Nothing else is ever resent.
    /// - Parameters:
    ///   - request: The conversation, the number to consult and, optionally, the operator.
    ///   - logger: Where the client logs, at debug and trace only; silent by default.
    /// - Throws: ``ECSSClientError``, `CancellationError`, or `EncodingError` (nothing sent).
    public func callConsult(_ request: CallConsultRequest, logger: Logger? = nil) async throws -> CallConsultResponse {
        try await send(request, logger: logger).response
    }

    /// Sends `call_consult` as ``callConsult(_:logger:)`` does, and returns the answer with its
    /// HTTP status.
    /// - Parameters:
    ///   - request: The conversation, the number to consult and, optionally, the operator.
    ///   - logger: Where the client logs, at debug and trace only; silent by default.
    /// - Throws: ``ECSSClientError``, `CancellationError`, or `EncodingError` (nothing sent).
    public func send(_ request: CallConsultRequest, logger: Logger? = nil) async throws -> Answer {
        var callLogger = logger ?? Self.silentLogger
        callLogger[metadataKey: "ecss.conversation_id"] = .string(request.conversationID)
        let logger = callLogger
        let body = try codec.encode(request)
        let deadline = ContinuousClock.now + configuration.timeout
        let progress = CommandProgress()
        return try await Self.withDeadline(deadline, progress: progress, on: httpClient.eventLoopGroup.any()) {
            try await self.sendOnce(body, deadline: deadline, progress: progress, logger: logger)
        }
    }

    /// The logger used when the caller gives none: it drops everything.
    static let silentLogger = Logger(label: "CallConsultClient", factory: { _ in SwiftLogNoOpLogHandler() })
}
