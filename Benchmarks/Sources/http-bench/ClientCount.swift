import AsyncHTTPClient
import CallConsultClient
import CallConsultKit
import InMemoryTracing
import Metrics
import NIOCore
import Prometheus
import Tracing

/// `http-bench client-count`: a fixed number of calls, for counting the client's instructions
/// under callgrind (Benchmarks/run.sh --only client-instructions runs it twice with different
/// counts and divides the difference by the difference of the counts, so that start-up, the
/// login and the warm-up cancel out).
///
/// Modes: `ecss` (`ECSSClient.callConsult` with its own `HTTPClient`, answer decoded and
/// validated), `ahc` (AsyncHTTPClient through `HTTPClient.shared` posting the same bytes with the
/// same cookie, `.bytes` body, answer collected and not decoded) and `ahc-same` (the same through
/// an `HTTPClient` configured as ECSSClient's own, ``RawPoster/sameConfigurationHTTPClient``).
struct ClientCount {
    let baseURL: String
    let domain: String
    let mode: String
    let calls: Int
    let tasks: Int
    let warmup: Int

    func run() async throws {
        let credentials = LoginRequest(
            clientID: BenchCredentials.clientID, apiKey: BenchCredentials.apiKey, phoneNumber: BenchCredentials.phoneNumber)
        let request = CallConsultRequest(conversationID: "0647e098a4b48b05", toNumber: "1001", operatorID: "42")
        let call: @Sendable () async throws -> Void
        switch mode {
        case "ecss":
            let client = try ECSSClient(configuration: .init(baseURL: baseURL, domain: domain, credentials: credentials))
            try await client.login()
            call = {
                guard try await client.callConsult(request) == .ok else { throw UsageError("call_consult was refused") }
            }
        case "ahc", "ahc-same":
            let codec = CallConsultCodec()
            let cookie = try await ClientBench.rawLogin(
                url: "\(baseURL)/\(domain)/service/cc/arm/login", body: try codec.encode(credentials))
            let raw = RawPoster(
                url: "\(baseURL)/\(domain)/service/cc/arm/call_consult", cookie: cookie, body: try codec.encode(request),
                httpClient: mode == "ahc" ? .shared : RawPoster.sameConfigurationHTTPClient)
            call = { try await raw.post() }
        default:
            throw UsageError("client-count --mode is ecss, ahc or ahc-same")
        }
        try await Self.spread(warmup, over: tasks, call)
        try await Self.spread(calls, over: tasks, call)
        print(#"{"mode": "\#(mode)", "calls": \#(calls), "tasks": \#(tasks), "warmup": \#(warmup)}"#)
    }

    /// Bootstraps swift-prometheus' metrics factory (`metrics`), an in-memory tracer (`tracing`),
    /// or both (`both`), for the cost of a client with them on.
    static func bootstrap(_ instruments: String) throws {
        guard ["metrics", "tracing", "both"].contains(instruments) else {
            throw UsageError("client-count --instruments is metrics, tracing or both")
        }
        if instruments != "tracing" { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: PrometheusCollectorRegistry())) }
        if instruments != "metrics" { InstrumentationSystem.bootstrap(InMemoryTracer()) }
    }

    /// Makes `count` calls from `tasks` tasks at once (the first ones make one more when it does
    /// not divide evenly).
    static func spread(_ count: Int, over tasks: Int, _ call: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<tasks {
                let share = count / tasks + (index < count % tasks ? 1 : 0)
                group.addTask {
                    for _ in 0..<share { try await call() }
                }
            }
            try await group.waitForAll()
        }
    }
}
