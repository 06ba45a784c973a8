public import AsyncHTTPClient
public import CallConsultKit
public import Logging
import NIOCore

/// A client of ECSS-10's call-centre HTTP API: logs in, keeps the session, and sends every
/// command of the family.
///
/// ```swift
/// let client = try ECSSClient(configuration: .init(
///     baseURL: "http://ecss.example:8089", domain: "example.domain",
///     credentials: LoginRequest(clientID: "crm", apiKey: key, phoneNumber: "1001")))
/// switch try await client.callHold(CallHoldRequest(conversationID: id)) {
/// case .ok: …
/// case .error(let reply): …  // reply.reason, reply.command, reply.body
/// }
/// ```
///
/// Each command has a typed method (``callConsult(_:logger:)``, ``callHold(_:logger:)``, …,
/// ``monitor(_:logger:)``); ``send(_:logger:)-(ECSSCommand,Logger?)`` sends any command's model and
/// ``send(_:logger:)-(ECSSRequest,Logger?)`` a command chosen at run time. They share one path: the same
/// session, deadline, resend rule and errors for every command. `login` is not sent through
/// them: the client logs in by itself, or when ``login(logger:)`` is called.
///
/// One client is meant to be shared by many tasks. It logs in before its first command, and
/// concurrent callers share that login. It does no background work beyond one timer for the
/// deadlines of its calls in flight. Without an `HTTPClient` of yours it uses one of its own,
/// shared by every client of the process, that never follows a redirect (see
/// ``init(configuration:httpClient:)``); it never shuts down an `HTTPClient` it was given: the
/// owner of that client does.
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
    /// Whether ``httpClient`` is the client's own (``defaultHTTPClient``), which never follows a
    /// redirect: only then does a request body go as bytes AsyncHTTPClient could send again.
    let httpClientFollowsNoRedirects: Bool
    /// The deadlines of the calls in flight.
    let deadlines: DeadlineTimer
    let endpoint: Endpoint
    let codec: CallConsultCodec
    let session = ClientSession()
    /// The metrics factory and tracer, taken when the client was made (`nil` for the no-op ones).
    let instruments: Instruments

    /// Creates a client; nothing is sent until the first call.
    /// - Parameters:
    ///   - configuration: The server, domain, credentials, timeout and limits.
    ///   - httpClient: The `HTTPClient` requests go through, or `nil` (the default) for the
    ///     client's own: AsyncHTTPClient's `singletonConfiguration` except that it never follows a
    ///     redirect, does not ask for compressed answers, and makes tracing spans only when a
    ///     tracer was bootstrapped before the first such client was made; one for the whole
    ///     process, never shut down. Give one of your own for a TLS configuration that trusts a
    ///     private certificate authority, say, or other timeouts; it is borrowed, never shut down.
    ///     A client of yours may follow redirects: the command is still never sent twice, and an
    ///     answer reached through a redirect is refused (see <doc:CallingECSS10>), but turning
    ///     them off (`redirectConfiguration = .disallow`) means nothing is sent to a redirect's
    ///     target at all.
    /// - Throws: ``ECSSClientError/Kind/invalidConfiguration`` when the base URL is not an http or
    ///   https URL with a host, the domain is empty, the timeout is not positive, or
    ///   `limits.maxBodyBytes` is negative, or the retry policy has a negative `maxRetries`, or
    ///   retries with a `base` that is not positive or a `cap` shorter than it.
    ///
    /// The client takes the metrics factory and tracer of the task that creates it (swift-metrics'
    /// `withMetricsFactory`, swift-distributed-tracing's `withTracer`), or else the bootstrapped
    /// ones, once, here: bootstrap them before creating clients. See <doc:RunningInProduction>.
    public init(configuration: Configuration, httpClient: HTTPClient? = nil) throws(ECSSClientError) {
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
        if let problem = configuration.retryPolicy.problem {
            throw ECSSClientError(kind: .invalidConfiguration, message: problem, mayHaveBeenDelivered: false)
        }
        self.configuration = configuration
        self.instruments = Instruments.current()
        self.httpClient = httpClient ?? Self.defaultHTTPClient
        self.httpClientFollowsNoRedirects = httpClient == nil
        self.deadlines = DeadlineTimer(on: self.httpClient.eventLoopGroup.next())
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
        let progress = CommandProgress(command: .login)
        try await Self.withDeadline(deadline, progress: progress, timer: deadlines) {
            await self.session.invalidateAll()
            _ = try await self.withRetries(deadline: deadline, progress: progress, logger: logger) {
                try await self.currentSession(deadline: deadline, progress: progress, logger: logger)
            }
        }
    }

    /// The logger used when the caller gives none: it drops everything.
    static let silentLogger = Logger(label: "CallConsultClient", factory: { _ in SwiftLogNoOpLogHandler() })
}
