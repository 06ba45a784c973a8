internal import CallConsultKit
internal import Metrics
internal import Tracing

/// The metrics factory and tracer of one emulator, taken when it is created: the ones of the
/// task that creates it (swift-metrics' `withMetricsFactory`, swift-distributed-tracing's
/// `withTracer`) or the bootstrapped ones. The no-op ones (nothing bootstrapped) are kept as
/// `nil`, so that the data plane of an emulator without metrics or tracer tests one optional per
/// exchange, and runs no middleware.
///
/// With either, every request goes through Hummingbird's `TracingMiddleware` (a span per request)
/// and `MetricsMiddleware` (`hb.requests`, `hb.request.errors`, `http.server.request.duration`,
/// `http.server.active_requests`, with `http.route` the route's shape, e.g.
/// `/{domain}/service/cc/arm/call_hold`), and with metrics every exchange is counted:
///
/// | label | type | dimensions |
/// |---|---|---|
/// | `ecss.emulator.exchanges` | counter | `ecss.command` (a command's name, or `other` for any other path), `ecss.outcome` |
///
/// `ecss.outcome` is `logged_in`, `ok`, `error_reply`, `refused.<code>` (the refusal's
/// ``ECSSEmulator/Refusal/code``, e.g. `refused.no_session`) or `fault.<kind>` (the fault's raw
/// value, e.g. `fault.stall`). Every value comes from a fixed set: no path, credential, cookie or
/// body reaches a dimension.
struct EmulatorInstruments: Sendable {
    let metrics: (any MetricsFactory)?
    let tracer: (any Tracer)?
    /// The exchange counters, made once each; `nil` without metrics.
    let exchanges: ExchangeCounters?

    init(metrics: (any MetricsFactory)?, tracer: (any Tracer)?) {
        self.metrics = metrics
        self.tracer = tracer
        self.exchanges = metrics.map { ExchangeCounters(factory: $0) }
    }

    /// The current task's (or the bootstrapped) factory and tracer, `nil` for the no-op ones.
    static func current() -> EmulatorInstruments {
        let factory = MetricsSystem.factory
        let tracer = InstrumentationSystem.tracer
        return EmulatorInstruments(
            metrics: factory is NOOPMetricsHandler ? nil : factory, tracer: tracer is NoOpTracer ? nil : tracer)
    }

    /// Whether there is neither metrics nor tracer.
    var areOff: Bool { metrics == nil && tracer == nil }

    /// Runs `body` (the server) with the emulator's factory and tracer bound to its task, so that
    /// Hummingbird's middlewares, which take the task's, use them too; `body` as it is when they
    /// are off.
    func bound<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        if areOff { return try await body() }
        return try await withMetricsFactory(metrics ?? MetricsSystem.factory) {
            try await withTracer(tracer ?? InstrumentationSystem.tracer) { try await body() }
        }
    }

    /// Counts `exchange` by command and outcome.
    func count(_ exchange: ECSSEmulator.Exchange) {
        guard let exchanges else { return }
        exchanges.counter(command: Self.command(exchange.command), outcome: Self.outcome(exchange.outcome)).increment()
    }

    /// A command's name, or `other` (never the path a client sent).
    static func command(_ command: ECSSEmulator.Command) -> String {
        switch command {
        case .named(let name): name.rawValue
        case .other: "other"
        }
    }

    /// The outcome's dimension value (see the table above).
    static func outcome(_ outcome: ECSSEmulator.Outcome) -> String {
        switch outcome {
        case .loggedIn: "logged_in"
        case .answered(_, .ok): "ok"
        case .answered(_, .error): "error_reply"
        case .refused(let refusal): "refused.\(refusal.code)"
        case .faulted(let kind, _, _): "fault.\(kind.rawValue)"
        }
    }

    /// The shape of a route, as `MetricsMiddleware`'s `http.route` and `TracingMiddleware`'s span
    /// name take it: bounded, whatever paths clients send.
    static func routeShape(_ route: Route, isAdmin: Bool) -> String? {
        if isAdmin { return "/__admin" }
        switch route.command {
        case .named(let name): return "/{domain}/service/cc/arm/\(name.rawValue)"
        case .other: return nil
        }
    }
}
