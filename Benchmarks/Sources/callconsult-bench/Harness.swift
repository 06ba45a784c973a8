import CLibXML2Baseline
import Foundation

/// Keeps a value alive so that the optimizer cannot drop the work that made it.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// One measured operation.
struct Measurement {
    var name: String
    var nanosecondsPerOperation: Double
    var allocationsPerOperation: Double?
    var baseline: String?
    var ratio: Double?

    var operationsPerSecond: Double { 1e9 / nanosecondsPerOperation }

    var jsonLine: String {
        var fields = [
            "\"benchmark\": \(Self.quoted(name))",
            "\"ns_per_op\": \(String(format: "%.1f", nanosecondsPerOperation))",
            "\"ops_per_s\": \(String(format: "%.0f", operationsPerSecond))",
        ]
        fields.append("\"allocs_per_op\": " + (allocationsPerOperation.map { String(format: "%.2f", $0) } ?? "null"))
        fields.append("\"baseline\": " + (baseline.map(Self.quoted) ?? "null"))
        fields.append("\"ratio_vs_baseline\": " + (ratio.map { String(format: "%.3f", $0) } ?? "null"))
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// `text` as a JSON string (names hold quotes and backslashes at most).
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// A small harness: calibrated batches, the median of several, allocation counts from the
/// process-wide malloc counter of the C baseline target.
struct Harness {
    var batches: Int
    var batchTarget: Duration

    /// Nanoseconds per call of `body`: the median over `batches` timed batches.
    func time(_ body: () -> Void) -> Double {
        let iterations = calibrate(body)
        var samples: [Double] = []
        for _ in 0..<batches {
            samples.append(Self.seconds(ContinuousClock().measure { for _ in 0..<iterations { body() } }) * 1e9)
        }
        samples.sort()
        return samples[samples.count / 2] / Double(iterations)
    }

    /// How many calls of `body` make one batch: doubled until a batch takes at least the target.
    func calibrate(_ body: () -> Void) -> Int {
        var iterations = 1
        while true {
            let elapsed = ContinuousClock().measure { for _ in 0..<iterations { body() } }
            if elapsed >= batchTarget || iterations >= 1 << 30 { return iterations }
            iterations *= 2
        }
    }

    /// Throughput of `ours` over throughput of `baseline`, measured in alternating batches of
    /// the same size so that drift in the machine's speed (a shared host) hits both alike: the
    /// median of the per-pair ratios.
    func pairedRatio(_ ours: () -> Void, baseline: () -> Void) -> Double {
        let iterations = calibrate(ours)
        var ratios: [Double] = []
        for _ in 0..<batches {
            let mine = ContinuousClock().measure { for _ in 0..<iterations { ours() } }
            let theirs = ContinuousClock().measure { for _ in 0..<iterations { baseline() } }
            ratios.append(Self.seconds(theirs) / Self.seconds(mine))
        }
        ratios.sort()
        return ratios[ratios.count / 2]
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Mallocs per call of `body`, or nil where they cannot be counted.
    func allocations(_ body: () -> Void) -> Double? {
        guard ccb_malloc_counting_available() != 0 else { return nil }
        for _ in 0..<100 { body() }
        let runs = 1_000
        ccb_malloc_counting(1)
        let start = ccb_malloc_count()
        for _ in 0..<runs { body() }
        let end = ccb_malloc_count()
        ccb_malloc_counting(0)
        return Double(end - start) / Double(runs)
    }

    func measure(_ name: String, _ body: () -> Void) -> Measurement {
        Measurement(name: name, nanosecondsPerOperation: time(body), allocationsPerOperation: allocations(body))
    }
}

/// The resident set size of this process, in bytes.
func residentBytes() -> Int {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = statm.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}
