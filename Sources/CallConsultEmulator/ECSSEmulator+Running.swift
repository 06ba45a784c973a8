public import CallConsultKit
public import Logging
internal import ServiceLifecycle

@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSEmulator {
    /// A running emulator, as ``withRunning(configuration:logger:onExchange:answering:_:)`` hands it
    /// to its body.
    public struct Running: Sendable {
        /// The emulator itself: its ``ECSSEmulator/exchanges``, ``ECSSEmulator/endAllSessions()``.
        public let emulator: ECSSEmulator
        /// The host it listens on, as configured.
        public let host: String
        /// The port it listens on.
        public let port: Int

        /// Creates the value the scoped helper hands out.
        init(emulator: ECSSEmulator, port: Int) {
            self.emulator = emulator
            self.host = emulator.configuration.host
            self.port = port
        }

        /// `http://HOST:PORT`, or `https://HOST:PORT` with ``Configuration/tlsConfiguration``,
        /// without a trailing slash (an IPv6 host in brackets).
        public var baseURL: String {
            let scheme = emulator.configuration.tlsConfiguration == nil ? "http" : "https"
            return host.contains(":") ? "\(scheme)://[\(host)]:\(port)" : "\(scheme)://\(host):\(port)"
        }

        /// The URL of a command of a domain: `BASE/<domain>/service/cc/arm/<command>`, BASE being
        /// ``baseURL``.
        /// - Parameters:
        ///   - command: A command's name, e.g. `login` or `call_hold`.
        ///   - domain: The ECSS-10 domain, e.g. `example.domain`.
        public func url(of command: String, domain: String) -> String {
            "\(baseURL)/\(domain)/service/cc/arm/\(command)"
        }

        /// Every exchange so far, oldest first: ``ECSSEmulator/exchanges``.
        public var exchanges: [Exchange] { emulator.exchanges }
    }

    /// Starts an emulator, runs `body` with it, and stops it, whether `body` returns or throws.
    ///
    /// ```swift
    /// try await ECSSEmulator.withRunning(configuration: configuration) { running in
    ///     // point the integration at running.baseURL, then check running.exchanges
    /// }
    /// ```
    ///
    /// The emulator listens before `body` starts (on a free port when ``Configuration/port`` is
    /// 0); when `body` ends, open exchanges are answered and every connection is closed before
    /// this returns (so a decision that never returns holds the stop up: let it end).
    /// - Parameters:
    ///   - configuration: Credentials, address, domain, session rules and limits.
    ///   - logger: Where the emulator logs. Default: a no-op logger (nothing is logged).
    ///   - onExchange: Called once for each exchange, right after it is recorded. Default `nil`.
    ///   - answering: Answers each valid request of a command (every command but `login`).
    ///     Default: always `CommandResponse.ok`.
    ///   - body: The test: it gets the running emulator.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws; ``NotListening`` (or the server's error) when the emulator
    ///   could not start.
    public static func withRunning<Result>(
        configuration: Configuration,
        logger: Logger = Logger(label: "ecss.emulator", factory: { _ in SwiftLogNoOpLogHandler() }),
        onExchange: (@Sendable (Exchange) -> Void)? = nil,
        answering: @escaping CommandDecision = { _, _ in .ok },
        _ body: (Running) async throws -> Result
    ) async throws -> Result {
        try await run(
            ECSSEmulator(configuration: configuration, logger: logger, onExchange: onExchange, answering: answering), body)
    }

    /// Starts an emulator whose decision sees `call_consult` requests only, as
    /// ``withRunning(configuration:logger:onExchange:answering:_:)`` does.
    @available(
        *, deprecated,
        message:
            "use withRunning(configuration:logger:onExchange:answering:_:), whose decision gets every command's request as an ECSSRequest"
    )
    public static func withRunning<Result>(
        configuration: Configuration,
        logger: Logger = Logger(label: "ecss.emulator", factory: { _ in SwiftLogNoOpLogHandler() }),
        onExchange: (@Sendable (Exchange) -> Void)? = nil,
        decide: @escaping Decision,
        _ body: (Running) async throws -> Result
    ) async throws -> Result {
        try await run(
            ECSSEmulator(
                configuration: configuration, logger: logger, onExchange: onExchange, answering: commandDecision(decide)),
            body)
    }

    private static func run<Result>(_ emulator: ECSSEmulator, _ body: (Running) async throws -> Result) async throws -> Result {
        let logger = emulator.logger
        let group = ServiceGroup(
            configuration: .init(services: [emulator], gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let result: Swift.Result<Result, any Error>
            do {
                let port = try await emulator.listeningPort()
                result = .success(try await body(Running(emulator: emulator, port: port)))
            } catch {
                result = .failure(error)
            }
            await group.triggerGracefulShutdown()
            let stopped: Swift.Result<Void, any Error>
            do {
                try await tasks.waitForAll()
                stopped = .success(())
            } catch {
                stopped = .failure(error)
            }
            // The body's error first: it is the one the test is about.
            let value = try result.get()
            try stopped.get()
            return value
        }
    }
}
