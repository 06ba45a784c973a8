internal import CallConsultEmulator
internal import CallConsultKit
public import Logging
internal import NIOCore
internal import NIOHTTP1
internal import NIOPosix
public import ServiceLifecycle

/// A checking proxy in front of an ECSS-10 (or anything speaking its call-centre HTTP API): it
/// forwards every request to ``Configuration/upstream`` and every answer back unchanged, and holds
/// each exchange on `/{domain}/service/cc/arm/{command}` of a known command to the command's
/// schema, both ways.
///
/// | what arrives | what the client gets | ``Exchange`` |
/// |---|---|---|
/// | any request | the upstream's answer: status, header fields (but hop-by-hop ones), body bytes | `failure` `nil` |
/// | a known command's `POST` | the same, valid or not | `requestValid`, `responseValid` when the answer is XML, `issues` |
/// | the same, invalid, with ``Configuration/strict`` | 400, the `DocumentError` text (its kind's code first); not forwarded | `invalid_request` |
/// | a body over `DecodingLimits.maxBodyBytes` | 413; not forwarded | `request_too_large` |
/// | a request that cannot be parsed | 400, the parser's reason, after the answers before it; then closed | `request_unreadable` |
/// | the upstream refuses, resets, is not HTTP, or answers more than the limit | 502, a plain-text reason | `upstream_unreachable`, `upstream_garbage`, `answer_too_large` |
/// | the upstream is silent past ``Configuration/upstreamTimeout`` | 504, a plain-text reason | `upstream_timeout` |
///
/// Header fields go through as they came but the hop-by-hop ones (`Connection` and those it
/// names, `Keep-Alive`, `Proxy-*`, `TE`, `Trailer`, `Transfer-Encoding`, `Upgrade`), `Host` (the
/// upstream's is sent), `Content-Length` (recomputed, the body being the same bytes) and, on
/// requests, `Expect` (the proxy answers `100-continue` itself, as it reads each body whole before
/// forwarding it); so cookies go both ways. A plain-text answer (the 403 of a lost session or of a refused login) is
/// not checked: its `responseValid` is `nil`, with no issue.
///
/// ```swift
/// guard let upstream = URL(string: "http://ecss.example:8089") else { return }
/// let proxy = ECSSProxy(configuration: .init(upstream: upstream, port: 8090)) { exchange in
///     print(exchange.status, exchange.command?.rawValue ?? "-", exchange.requestValid ?? "-")
/// }
/// ```
///
/// It is built on SwiftNIO: each client connection lives on one event loop, and its requests (in
/// order, pipelined or not) go to the upstream on a keep-alive connection of its own, opened on
/// the same event loop (see ``Configuration/maxConnectionsPerUpstream``).
///
/// It is a swift-service-lifecycle `Service`: run it in a `ServiceGroup`, and read the port with
/// ``listeningPort()``; ``withRunning(configuration:logger:onExchange:_:)`` runs one for a test.
/// Nothing is logged unless a `Logger` is given; no log line holds an API key, a cookie or a body.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
public final class ECSSProxy: Service, Sendable {
    /// The configuration the proxy was created with.
    public let configuration: Configuration

    let logger: Logger
    let onExchange: @Sendable (Exchange) -> Void
    let listening = ListeningState { NotListening(reason: $0) }

    /// Creates a proxy; ``run()`` starts it.
    /// - Parameters:
    ///   - configuration: The upstream, the address, strictness, timeout and limits.
    ///   - logger: Where the proxy logs (debug and below). Default: a no-op logger.
    ///   - onExchange: Called once per exchange, before its answer is written; keep it short.
    public init(
        configuration: Configuration,
        logger: Logger = Logger(label: "ecss.proxy", factory: { _ in SwiftLogNoOpLogHandler() }),
        onExchange: @escaping @Sendable (Exchange) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.logger = logger
        self.onExchange = onExchange
    }

    /// Waits until ``run()`` listens, and returns the port (the one picked when
    /// ``Configuration/port`` is 0).
    /// - Throws: ``NotListening`` when the proxy stopped or failed to start first;
    ///   `CancellationError` when the task is cancelled while waiting.
    public func listeningPort() async throws -> Int {
        try await listening.port()
    }

    /// The proxy stopped, or never started listening.
    public struct NotListening: Error, Sendable, CustomStringConvertible {
        /// Why, e.g. the error that stopped the server.
        public var reason: String

        /// `the proxy is not listening: <reason>`.
        public var description: String { "the proxy is not listening: \(reason)" }
    }

    /// Serves until the service group shuts down gracefully or the task is cancelled. A graceful
    /// shutdown stops accepting, lets every exchange in flight finish (within
    /// ``Configuration/upstreamTimeout``) and closes each connection after its answer;
    /// cancellation closes every connection at once. Connections to the upstream close with
    /// their client's.
    /// - Throws: The server's error, e.g. when the port is taken.
    public func run() async throws {
        let settings = ProxySettings(self)
        let group = MultiThreadedEventLoopGroup.singleton
        let serverLoop = group.next()
        let allClosed = serverLoop.makePromise(of: Void.self)
        let limit = configuration.maxConnectionsPerUpstream
        let idle = configuration.idleTimeout
        let server: any Channel
        do {
            server = try await ServerBootstrap(group: serverLoop, childGroup: group)
                .serverChannelOption(.backlog, value: 256)
                // One connection accepted at a time, so that the gate can hold the next one.
                .serverChannelOption(.maxMessagesPerRead, value: 1)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ConnectionGate(limit: limit, allClosed: allClosed))
                    }
                }
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        // Answers go out as bytes, each in one write; pipelined requests wait in
                        // ProxyHandler, which reads on without pause when there are none, and
                        // answers a request that cannot be parsed itself.
                        try sync.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
                        if let idle {
                            try sync.addHandler(IdleStateHandler(readTimeout: TimeAmount(idle)))
                        }
                        try sync.addHandler(ProxyHandler(settings: settings))
                    }
                }
                .bind(host: configuration.host, port: configuration.port).get()
        } catch {
            allClosed.succeed()
            listening.stopped(reason: "\(error)")
            throw error
        }
        listening.started(port: server.localAddress?.port ?? configuration.port)
        let pipeline = server.pipeline
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                try? await allClosed.futureResult.get()
            } onGracefulShutdown: {
                pipeline.fireUserInboundEventTriggered(ConnectionGate.Quiesce(immediately: false))
            }
        } onCancel: {
            pipeline.fireUserInboundEventTriggered(ConnectionGate.Quiesce(immediately: true))
        }
        try? await server.closeFuture.get()
        logger.debug("the proxy stopped")
        listening.stopped(reason: "the proxy stopped")
    }

    /// Runs a proxy on `configuration` (use port 0 in tests) until `body` returns, then stops it.
    /// - Parameters:
    ///   - configuration: The proxy's configuration.
    ///   - logger: Where the proxy logs. Default: nowhere.
    ///   - onExchange: Called once per exchange.
    ///   - body: Gets the running proxy and its port.
    /// - Returns: What `body` returns.
    public static func withRunning<Result: Sendable>(
        configuration: Configuration,
        logger: Logger = Logger(label: "ecss.proxy", factory: { _ in SwiftLogNoOpLogHandler() }),
        onExchange: @escaping @Sendable (Exchange) -> Void = { _ in },
        _ body: (ECSSProxy, Int) async throws -> Result
    ) async throws -> Result {
        let proxy = ECSSProxy(configuration: configuration, logger: logger, onExchange: onExchange)
        let group = ServiceGroup(configuration: .init(services: [proxy], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            let port = try await proxy.listeningPort()
            let result = try await body(proxy, port)
            await group.triggerGracefulShutdown()
            try await tasks.next()
            return result
        }
    }
}
