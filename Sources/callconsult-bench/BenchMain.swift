import CLibXML2Baseline
import CallConsultKit
import Foundation

/// callconsult-bench: CallConsultKit against libxml2 called directly from C, in one process.
///
///     swift run -c release callconsult-bench [--quick] [--soak N] [--json] [--scaling]
///
/// Prints a table (docs/s, ns/doc, mallocs per operation, ratio to the C baseline) and one JSON
/// object per measurement. `--scaling` runs only the two-thread measurements (to sample them often
/// on a shared machine).
@main
enum BenchMain {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        let quick = arguments.contains("--quick")
        let jsonOnly = arguments.contains("--json")
        var soakCount = quick ? 200_000 : 10_000_000
        if let index = arguments.firstIndex(of: "--soak"), arguments.index(after: index) < arguments.endIndex,
            let count = Int(arguments[arguments.index(after: index)])
        {
            soakCount = count
        }
        if let index = arguments.firstIndex(of: "--profile"), arguments.index(after: index) < arguments.endIndex,
            let count = Int(arguments[arguments.index(after: index)])
        {
            // A plain loop to run under perf or callgrind.
            let codec = CallConsultCodec()
            let body = arguments.contains("--invalid") ? Suite.invalidRequest : Suite.validRequest
            if arguments.contains("--c-sax") || arguments.contains("--c-reader") {
                let suite = try Suite(harness: Harness(batches: 1, batchTarget: .milliseconds(1)))
                let route = arguments.contains("--c-sax") ? ccb_validate_sax : ccb_validate_reader
                body.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { chars in
                        for _ in 0..<count { blackHole(route(suite.state, chars.baseAddress!, Int32(chars.count))) }
                    }
                }
                return
            }
            let threads = arguments.contains("--two-threads") ? 2 : 1
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                for _ in 0..<count { blackHole(try? codec.decodeRequest(body)) }
            }
            return
        }
        let harness = Harness(batches: quick ? 3 : 9, batchTarget: .milliseconds(quick ? 20 : 100))
        let suite = try Suite(harness: harness)
        var results: [Measurement] = []
        func report(_ measurement: Measurement) {
            results.append(measurement)
            if !jsonOnly { print(Self.row(measurement)) }
        }
        if !jsonOnly {
            print(
                "callconsult-bench: libxml2 \(String(cString: xmlParserVersionString())), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(quick ? "quick" : "full") run"
            )
            print(Self.header)
        }
        if arguments.contains("--scaling") {
            suite.scaling().forEach(report)
            for measurement in results { print(measurement.jsonLine) }
            return
        }
        suite.decodePairs().forEach(report)
        suite.encodings().forEach(report)
        suite.bodySizes().forEach(report)
        suite.scaling().forEach(report)
        report(suite.soak(count: soakCount))
        for measurement in results { print(measurement.jsonLine) }
    }

    static let header =
        "benchmark".padding(toLength: 44, withPad: " ", startingAt: 0)
        + "      ns/op        ops/s  mallocs/op  ratio"

    static func row(_ m: Measurement) -> String {
        let name = m.name.padding(toLength: 44, withPad: " ", startingAt: 0)
        let ns = String(format: "%11.1f", m.nanosecondsPerOperation)
        let ops = String(format: "%13.0f", m.operationsPerSecond)
        let allocations = m.allocationsPerOperation.map { String(format: "%12.1f", $0) } ?? "           -"
        let ratio = m.ratio.map { String(format: "%7.3f", $0) + " vs " + (m.baseline ?? "") } ?? ""
        return "\(name)\(ns)\(ops)\(allocations)  \(ratio)"
    }
}

/// libxml2's own version string, from the baseline's C world.
func xmlParserVersionString() -> UnsafePointer<CChar> {
    ccb_libxml2_version()
}
