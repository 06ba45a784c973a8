import CallConsultEmulator
import CallConsultKit
import Foundation

/// `http-bench start-stop`: the time to start an in-process emulator on port 0 and stop it
/// (`ECSSEmulator.withRunning` with an empty body), the cost of the one-emulator-per-test pattern.
enum StartStop {
    /// Runs `warmup` unmeasured start-stops, then `runs` measured ones, and prints one JSON line:
    /// the median, p90, p99 and max in microseconds.
    static func run(runs: Int, warmup: Int) async throws {
        let configuration = ECSSEmulator.Configuration(
            credentials: LoginRequest(
                clientID: BenchCredentials.clientID, apiKey: BenchCredentials.apiKey,
                phoneNumber: BenchCredentials.phoneNumber))
        let clock = ContinuousClock()
        var samples: [Duration] = []
        samples.reserveCapacity(runs)
        for index in 0..<(warmup + runs) {
            let start = clock.now
            try await ECSSEmulator.withRunning(configuration: configuration) { _ in }
            let elapsed = clock.now - start
            if index >= warmup { samples.append(elapsed) }
        }
        samples.sort()
        func microseconds(_ quantile: Double) -> Double {
            let index = min(samples.count - 1, max(0, Int((quantile * Double(samples.count)).rounded(.up)) - 1))
            let duration = samples[index]
            return Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
        }
        print(
            String(
                format: #"{"runs": %d, "warmup": %d, "median_us": %.0f, "p90_us": %.0f, "p99_us": %.0f, "max_us": %.0f}"#,
                samples.count, warmup, microseconds(0.5), microseconds(0.9), microseconds(0.99), microseconds(1)))
    }
}
