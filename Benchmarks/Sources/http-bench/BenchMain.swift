import Foundation

/// http-bench: the HTTP side of CallConsultKit's benchmarks.
///
///     http-bench serve [--domain D] [--stubs N]
///         The emulator (with credentials crm-1 / bench-api-key / 1001; with --stubs, N call_consult
///         stubs registered, none matching the benchmark's requests) and, in the same process on
///         another port, a Hummingbird server whose call_consult route answers a fixed ok body
///         without reading the request. Prints `emulator http://…` and `fixed http://…`, then runs
///         until SIGTERM or SIGINT. wrk drives both (Benchmarks/run.sh).
///
///     http-bench client --url http://HOST:PORT [--tasks 1,64] [--seconds 3] [--rounds 5] [--domain D]
///         ECSSClient's calls per second against that emulator, and AsyncHTTPClient posting the
///         same bytes with the same session cookie and not decoding the answer (through
///         HTTPClient.shared, and through an HTTPClient configured as ECSSClient's own), in
///         alternating rounds: medians and the median of the per-round ratios, as JSON lines.
///
///     http-bench client-count --url http://HOST:PORT --mode ecss|ahc|ahc-same [--calls N] [--tasks T] [--warmup W]
///             [--instruments metrics|tracing|both]
///         W calls, then N calls, from T tasks, with ECSSClient or with bare AsyncHTTPClient: what
///         callgrind counts (Benchmarks/run.sh --only client-instructions). --instruments
///         bootstraps swift-prometheus' metrics factory, an in-memory tracer, or both, first.
///
///     http-bench start-stop [--runs N] [--warmup W]
///         W, then N measured, starts of an in-process emulator on port 0 and stops
///         (ECSSEmulator.withRunning with an empty body), one after the other: median, p90, p99
///         and max in microseconds, as one JSON line.
@main
enum BenchMain {
    static func main() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        func value(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            return arguments[index + 1]
        }
        let domain = value("--domain") ?? "example.domain"
        switch arguments.first {
        case "serve":
            let stubs = Int(value("--stubs") ?? "") ?? 0
            guard stubs >= 0 else { throw UsageError("serve needs --stubs N >= 0") }
            try await ServeCommand.run(domain: domain, stubs: stubs)
        case "client":
            guard let url = value("--url") else { throw UsageError("client needs --url http://HOST:PORT") }
            let tasks = (value("--tasks") ?? "1,64").split(separator: ",").compactMap { Int($0) }
            try await ClientBench(
                baseURL: url, domain: domain, seconds: Double(value("--seconds") ?? "3") ?? 3,
                rounds: Int(value("--rounds") ?? "5") ?? 5
            ).run(taskCounts: tasks)
        case "client-count":
            guard let url = value("--url") else { throw UsageError("client-count needs --url http://HOST:PORT") }
            let calls: Int = Int(value("--calls") ?? "") ?? 1000
            let tasks: Int = Int(value("--tasks") ?? "") ?? 1
            let warmup: Int = Int(value("--warmup") ?? "") ?? 200
            let mode: String = value("--mode") ?? "ecss"
            if let instruments = value("--instruments") { try ClientCount.bootstrap(instruments) }
            try await ClientCount(
                baseURL: url, domain: domain, mode: mode, calls: calls, tasks: max(1, tasks), warmup: warmup
            ).run()
        case "start-stop":
            let runs = Int(value("--runs") ?? "") ?? 1000
            let warmup = Int(value("--warmup") ?? "") ?? 20
            guard runs > 0, warmup >= 0 else { throw UsageError("start-stop needs --runs N > 0 and --warmup W >= 0") }
            try await StartStop.run(runs: runs, warmup: warmup)
        default:
            throw UsageError(
                "usage: http-bench serve [--stubs N] | client --url URL [--tasks 1,64] [--seconds S] [--rounds N]"
                    + " | client-count --url URL --mode ecss|ahc|ahc-same [--calls N] [--tasks T] [--warmup W]"
                    + " [--instruments metrics|tracing|both] | start-stop [--runs N] [--warmup W]")
        }
    }
}

/// A usage mistake, printed as it is.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The credentials the benchmark's emulator accepts (a throwaway local server).
enum BenchCredentials {
    static let clientID = "crm-1"
    static let apiKey = "bench-api-key"
    static let phoneNumber = "1001"
}
