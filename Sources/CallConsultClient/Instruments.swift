import CallConsultKit
import Metrics
import Tracing

/// The metrics factory and tracer of one client, taken when it is created: the ones of the task
/// that creates it (swift-metrics' `withMetricsFactory`, swift-distributed-tracing's `withTracer`)
/// or the bootstrapped ones. The no-op ones (nothing bootstrapped) are kept as `nil`, so that a
/// call of a process without metrics or tracer only tests two optionals: no span, no dimension
/// array, no metric object, no cache is made. With a factory, the metrics are made once for each
/// label and dimension values and kept in the client's ``MetricsCache``.
///
/// The names and dimensions, in the naming style of Hummingbird's `MetricsMiddleware` (dotted
/// lower-case labels, `error.type` for a failure's kind); every dimension's value comes from a
/// fixed set or a command name, so that their number stays bounded and no secret reaches one,
/// except ECSS-10's reason, a short token the server chooses (``boundedReason(_:)``), whose
/// metrics past the cache's capacity are made anew on each use rather than kept:
///
/// | label | type | dimensions |
/// |---|---|---|
/// | `ecss.client.calls` | counter | `ecss.command`, `ecss.outcome` (`ok`, `error_reply`, a failure's kind, `cancelled`) |
/// | `ecss.client.error_replies` | counter | `ecss.command`, `ecss.error.reason` (ECSS-10's reason, or `other`) |
/// | `ecss.client.call.duration` | timer (seconds) | `ecss.command` |
/// | `ecss.client.logins` | counter | `ecss.outcome` (`ok` or a failure's kind) |
/// | `ecss.client.relogins` | counter | `ecss.command` (the command whose answer said the session was lost) |
/// | `ecss.client.retries` | counter | `ecss.command`, `error.type` (the kind of the failure retried) |
struct Instruments: Sendable {
    /// The metrics made by the client's factory, `nil` for the no-op one.
    let metrics: MetricsCache?
    /// The client's tracer, `nil` for the no-op one.
    let tracer: (any Tracer)?

    /// The current task's (or the bootstrapped) factory and tracer, `nil` for the no-op ones.
    static func current() -> Instruments {
        let factory = MetricsSystem.factory
        let tracer = InstrumentationSystem.tracer
        return Instruments(
            metrics: factory is NOOPMetricsHandler ? nil : MetricsCache(factory: factory),
            tracer: tracer is NoOpTracer ? nil : tracer)
    }

    /// Whether there is neither metrics nor tracer.
    var areOff: Bool { metrics == nil && tracer == nil }

    /// Counts a login that ended with `outcome` (`ok`, or the failure's kind).
    func login(outcome: String) {
        guard let metrics else { return }
        metrics.counter("ecss.client.logins", ("ecss.outcome", outcome)).increment()
    }

    /// Counts a new login because `command`'s answer said the session was lost.
    func relogin(command: CommandName) {
        guard let metrics else { return }
        metrics.counter("ecss.client.relogins", ("ecss.command", command.rawValue)).increment()
    }

    /// Counts a retry of `command` after a failure of kind `kind`.
    func retry(command: CommandName, kind: ECSSClientError.Kind) {
        guard let metrics else { return }
        metrics.counter("ecss.client.retries", ("ecss.command", command.rawValue), ("error.type", kind.code)).increment()
    }

    /// Runs `call` (one call of `command`, started at `start`) in a span, and counts and times it.
    func observe(
        _ command: CommandName, domain: String, start: ContinuousClock.Instant, progress: CommandProgress,
        _ call: () async throws -> ECSSClient.Answer
    ) async throws -> ECSSClient.Answer {
        guard let tracer else {
            return try await record(command, start: start, progress: progress, span: nil, call)
        }
        return try await tracer.withSpan("ecss.\(command.rawValue)", ofKind: .client) { span in
            span.attributes["ecss.command"] = command.rawValue
            span.attributes["ecss.domain"] = domain
            return try await record(command, start: start, progress: progress, span: span, call)
        }
    }

    /// Runs `call`, then puts its outcome in `span` (if any) and counts and times it.
    private func record(
        _ command: CommandName, start: ContinuousClock.Instant, progress: CommandProgress, span: (any Span)?,
        _ call: () async throws -> ECSSClient.Answer
    ) async throws -> ECSSClient.Answer {
        let outcome: String
        var reason: String?
        let result: Result<ECSSClient.Answer, any Error>
        do {
            result = .success(try await call())
        } catch {
            result = .failure(error)
        }
        let attempts: Int
        let delivered: Bool
        switch result {
        case .success(let answer):
            if case .error(let reply) = answer.response {
                outcome = "error_reply"
                reason = Self.boundedReason(reply.reason)
            } else {
                outcome = "ok"
            }
            span?.attributes["http.response.status_code"] = answer.status
            attempts = progress.attempts
            delivered = true
        case .failure(let error as ECSSClientError):
            outcome = error.kind.code
            if let status = error.status { span?.attributes["http.response.status_code"] = status }
            span?.attributes["error.type"] = error.kind.code
            attempts = error.attempts
            delivered = error.mayHaveBeenDelivered
        case .failure(let error):
            outcome = error is CancellationError ? "cancelled" : "error"
            span?.attributes["error.type"] = outcome
            attempts = progress.attempts
            delivered = progress.mayHaveBeenDelivered
        }
        if let span {
            span.attributes["ecss.outcome"] = outcome
            if let reason { span.attributes["ecss.error.reason"] = reason }
            span.attributes["ecss.attempts"] = attempts
            span.attributes["ecss.may_have_been_delivered"] = delivered
        }
        if let metrics {
            metrics.counter("ecss.client.calls", ("ecss.command", command.rawValue), ("ecss.outcome", outcome))
                .increment()
            if let reason {
                metrics.counter(
                    "ecss.client.error_replies", ("ecss.command", command.rawValue), ("ecss.error.reason", reason)
                ).increment()
            }
            metrics.timer("ecss.client.call.duration", ("ecss.command", command.rawValue))
                .recordNanoseconds(ECSSClient.nanoseconds(ContinuousClock.now - start))
        }
        return try result.get()
    }

    /// ECSS-10's reason as a dimension: itself when it is a short token of lower-case letters,
    /// digits and `_` (as every documented reason is), `other` otherwise, so that a server cannot
    /// grow the number of series without bound or put arbitrary text in them.
    static func boundedReason(_ reason: String) -> String {
        let utf8 = reason.utf8
        guard (1...64).contains(utf8.count),
            utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F })
        else { return "other" }
        return reason
    }
}
