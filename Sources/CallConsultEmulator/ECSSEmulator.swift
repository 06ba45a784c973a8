public import CallConsultKit
internal import Hummingbird
internal import HummingbirdCore
internal import HummingbirdTLS
public import Logging
internal import NIOCore
public import ServiceLifecycle

/// An ECSS-10 call-centre endpoint on loopback, for an integration's tests: `login` with the
/// configured credentials, a session cookie, every command of the family (`call_consult`,
/// `call_hold`, …, `monitor`) answered by a decision you supply, and a record of every exchange.
///
/// It serves, for each domain (or the one of ``Configuration/domain``), where COMMAND is any
/// `CommandName` but `login`:
///
/// | request | answer |
/// |---|---|
/// | `POST /<DOMAIN>/service/cc/arm/login`, credentials of ``Configuration/acceptedCredentials`` | 200, the login `<out>` ok, a ``sessionCookieName`` cookie |
/// | the same, anything else | 403, `Invalid credentials` (text/plain) |
/// | `POST /<DOMAIN>/service/cc/arm/COMMAND` without a live session of that domain | 403, `Session is not valid` (text/plain) |
/// | the same with a session, a valid request | the decision: 200 ok, or an `<error …/>` with the command's `CommandName.errorStatus` (403; 200 for `block_operator`, `unblock_operator`, `auxwork`, `add_participant`) |
/// | `monitor` with a session, a valid request | 200 (no body), or 404 for an event outside ``Configuration/monitorEvents`` or when the decision is an error |
/// | a command with a session, a body that is not a valid request of it | 400, the `DocumentError` text, its kind's code first |
/// | a body over `DecodingLimits.maxBodyBytes` | 413, kept no further than the limit |
/// | another method on these paths | 405 |
/// | any other path, or another domain than the configured one | 404 |
///
/// Every `<out>` declares its own command's schema on the root as the vendor's examples do
/// (`xmlns:xs="http://www.w3.org/2001/XMLSchema-instance"
/// xs:noNamespaceSchemaLocation="call_hold.xsd"`, `login.xsd`, …).
///
/// In a test, ``withRunning(configuration:logger:onExchange:answering:_:)`` starts it on a free port
/// and always stops it. It is also a swift-service-lifecycle `Service`: put it in your own
/// `ServiceGroup`, and read the port with ``listeningPort()``. Run an emulator once.
///
/// Logging goes to the `Logger` given, at `info` and below, with metadata keys prefixed `ecss.`;
/// no log line holds the API key, a cookie value or a body. Without one, nothing is logged.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
public final class ECSSEmulator: Service, Sendable {
    /// Decides the answer to a valid request of any command (but `login`) of a live session: the
    /// request and the domain of its path. `CommandResponse.ok` is answered 200, an error reply
    /// with the command's `CommandName.errorStatus`; for `monitor`, ok is 200 and an error 404.
    ///
    /// It may run on the connection's event loop (see ``run()``): await anything (an actor, a
    /// sleep, another service), but do not block the thread (no semaphore wait, no synchronous
    /// I/O), or every connection on that loop waits with it.
    public typealias CommandDecision = @Sendable (_ request: ECSSRequest, _ domain: String) async -> CommandResponse

    /// Decides the answer to a valid `call_consult` request of a live session.
    @available(
        *, deprecated,
        message: "use CommandDecision (and the answering: parameter), which gets every command's request as an ECSSRequest"
    )
    public typealias Decision = @Sendable (_ request: CallConsultRequest, _ domain: String) async -> CommandResponse

    /// `ECSS_SESSION`: the name of the session cookie a login sets.
    ///
    /// Its value is 128 random bits in hex; it is set with `Path=/<DOMAIN>/service/cc/arm` and
    /// `HttpOnly`, and is valid for that domain only. (ECSS-10 does not document its own cookie's
    /// name: a client must keep whatever cookies the login answer sets.)
    public static let sessionCookieName = "ECSS_SESSION"

    /// The configuration the emulator was created with.
    public let configuration: Configuration

    let logger: Logger
    let decide: CommandDecision
    let onExchange: (@Sendable (Exchange) -> Void)?
    let sessions: SessionStore
    let log: ExchangeLog
    let stubStore = StubStore()
    let stopping = StopSignal()
    let listening = ListeningState { NotListening(reason: $0) }
    let instruments = EmulatorInstruments.current()

    /// Creates an emulator; ``run()`` starts it.
    /// - Parameters:
    ///   - configuration: Credentials, address, domain, session rules and limits.
    ///   - logger: Where the emulator logs (`info` and below, keys `ecss.…`). Default: a no-op
    ///     logger: as swift-log's practice is for a library, nothing is logged unless you give one.
    ///   - onExchange: Called once for each exchange, right after it is recorded and before its
    ///     answer is written, maybe on the connection's event loop; keep it short. Default `nil`.
    ///   - answering: Answers each valid request of a command (every command but `login`), e.g.
    ///     `{ request, _ in if case .callHold = request { .error(ErrorReply(reason: "cannot_perform_cmd")) } else { .ok } }`.
    ///     Default: always `CommandResponse.ok`.
    public init(
        configuration: Configuration,
        logger: Logger = Logger(label: "ecss.emulator", factory: { _ in SwiftLogNoOpLogHandler() }),
        onExchange: (@Sendable (Exchange) -> Void)? = nil,
        answering: @escaping CommandDecision = { _, _ in .ok }
    ) {
        self.configuration = configuration
        self.logger = logger
        self.onExchange = onExchange
        self.decide = answering
        self.sessions = SessionStore(commands: configuration.sessionCommands, lifetime: configuration.sessionLifetime)
        self.log = ExchangeLog(capacity: configuration.maxRecordedExchanges)
    }

    /// Creates an emulator whose decision sees `call_consult` requests only (every other command
    /// is answered ok).
    @available(
        *, deprecated,
        message:
            "use init(configuration:logger:onExchange:answering:), whose decision gets every command's request as an ECSSRequest"
    )
    public convenience init(
        configuration: Configuration,
        logger: Logger = Logger(label: "ecss.emulator", factory: { _ in SwiftLogNoOpLogHandler() }),
        onExchange: (@Sendable (Exchange) -> Void)? = nil,
        decide: @escaping Decision
    ) {
        self.init(configuration: configuration, logger: logger, onExchange: onExchange, answering: Self.commandDecision(decide))
    }

    /// A ``CommandDecision`` that asks `decide` for `call_consult` and answers ok to the rest.
    @available(*, deprecated)
    static func commandDecision(_ decide: @escaping Decision) -> CommandDecision {
        { request, domain in
            guard case .callConsult(let consult) = request else { return .ok }
            return await decide(consult, domain)
        }
    }

    /// Every exchange so far, oldest first (at most ``Configuration/maxRecordedExchanges``, the
    /// latest ones). Safe to read from any task while the emulator runs.
    public var exchanges: [Exchange] { log.all }

    /// Ends every session: the next command of each needs a new login (refused with
    /// ``Refusal/noSession`` until then).
    public func endAllSessions() {
        sessions.removeAll()
    }

    /// Waits until ``run()`` listens, and returns the port it listens on (the one the system
    /// picked when ``Configuration/port`` is 0).
    /// - Throws: ``NotListening`` when the emulator stopped, or failed to start (the port is taken,
    ///   the host does not resolve), before it listened; `CancellationError` when the task is
    ///   cancelled while waiting.
    public func listeningPort() async throws -> Int {
        try await listening.port()
    }

    /// The emulator stopped, or never started listening.
    public struct NotListening: Error, Sendable, CustomStringConvertible {
        /// Why, e.g. the error that stopped the server.
        public var reason: String

        /// `the emulator is not listening: <reason>`.
        public var description: String { "the emulator is not listening: \(reason)" }
    }

    /// Serves until the service group it runs in shuts down gracefully (or the task is
    /// cancelled): open exchanges are answered, then the listening socket and every connection
    /// are closed. With ``Configuration/tlsConfiguration``, it serves https.
    ///
    /// A connection opened while no other is open is served on its event loop (Hummingbird's
    /// HTTP/1.1 channel, in a task preferring the loop as its executor): a request is read,
    /// decided and answered on the thread that reads its socket, with no other thread woken on
    /// the way, as a test suite's one client wants. Connections opened beside others are served
    /// as Hummingbird serves them, their requests decided on Swift's concurrency pool, which
    /// does better with many.
    /// - Throws: The server's error, e.g. when the port is taken or the TLS configuration cannot
    ///   be used (a private key that does not match the certificate).
    public func run() async throws {
        let http1Configuration = HTTP1Channel.Configuration(idleTimeout: configuration.idleTimeout.map { TimeAmount($0) })
        let open = OpenConnections()
        let http1 = HTTPServerBuilder { responder in
            EventLoopChildChannel(base: HTTP1Channel(responder: responder, configuration: http1Configuration), open: open)
        }
        let server: HTTPServerBuilder
        do {
            server = try configuration.tlsConfiguration.map { try .tls(http1, tlsConfiguration: $0) } ?? http1
        } catch {
            listening.stopped(reason: "\(error)")
            throw error
        }
        let application = Application(
            responder: InstrumentedResponder(emulator: self),
            server: server,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "ECSSEmulator"),
            onServerRunning: { [listening, logger, configuration] channel in
                let port = channel.localAddress?.port ?? configuration.port
                listening.started(port: port)
                logger.info(
                    "ECSS-10 emulator listening",
                    metadata: ["ecss.host": "\(configuration.host)", "ecss.port": "\(port)"])
            },
            logger: logger)
        // A stalled or delayed exchange ends when the emulator begins to stop, so that the
        // server's graceful shutdown, which waits for open exchanges, never waits on one.
        defer { stopping.stop() }
        do {
            try await withTaskCancellationHandler {
                try await withGracefulShutdownHandler {
                    try await instruments.bound { try await application.run() }
                } onGracefulShutdown: { [stopping] in
                    stopping.stop()
                }
            } onCancel: { [stopping] in
                stopping.stop()
            }
        } catch {
            listening.stopped(reason: "\(error)")
            throw error
        }
        listening.stopped(reason: "the emulator stopped")
    }
}
