import CLibXML2Baseline
import CallConsultKit
import Foundation

/// callconsult-bench: CallConsultKit against libxml2 called directly from C, in one process.
///
///     swift run --package-path Benchmarks -c release callconsult-bench [--quick] [--soak N] [--json] [--scaling]
///         [--processes [--runs N]] [--sizes]
///
/// Prints a table (docs/s, ns/doc, mallocs per operation, ratio to the C baseline) and one JSON
/// object per measurement. `--scaling` runs only the two-thread measurements (to sample them often
/// on a shared machine). `--processes` compares two threads in this process with two processes
/// side by side (a second copy of this executable), in alternating runs; `--sizes` measures the
/// cost of a valid request against its size, from 120 B to 1 MB, beside C (and `--profile N
/// --size BYTES [--c-sax]` runs a plain loop on a request of that size, for instruction counts;
/// `--profile N --varied [--c-sax]` on invalid requests whose messages differ, `--profile N --out
/// [--c-sax]` on the `<out>` ok answer, `--profile N --command NAME` on a valid request of any
/// command of the family, through `decodeRequest(_:command:)`).
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
        if let index = arguments.firstIndex(of: "--child-decode"), arguments.index(after: index) < arguments.endIndex,
            let count = Int(arguments[arguments.index(after: index)])
        {
            ProcessScaling.child(count: count)
            return
        }
        if let index = arguments.firstIndex(of: "--profile"), arguments.index(after: index) < arguments.endIndex,
            let count = Int(arguments[arguments.index(after: index)])
        {
            // A plain loop to run under perf or callgrind.
            // `--size BYTES`: a valid request of that size (the cost-against-size series).
            var size: Int?
            if let index = arguments.firstIndex(of: "--size"), arguments.index(after: index) < arguments.endIndex {
                size = Int(arguments[arguments.index(after: index)])
            }
            let codec = size == nil ? CallConsultCodec() : CallConsultCodec(limits: DecodingLimits(maxBodyBytes: 2 << 20))
            if let index = arguments.firstIndex(of: "--command"), arguments.index(after: index) < arguments.endIndex {
                guard let command = CommandName(rawValue: arguments[arguments.index(after: index)]),
                    let body = Suite.commandRequests[command], (try? codec.decodeRequest(body, command: command)) != nil
                else {
                    print("callconsult-bench: --command names no command with a valid request here")
                    exit(2)
                }
                for _ in 0..<count { blackHole(try? codec.decodeRequest(body, command: command)) }
                return
            }
            // `--out`: the `<out>` ok answer, decoded as a response.
            let response = arguments.contains("--out")
            let body =
                response
                ? Suite.okResponse
                : size.map(Suite.sizedRequest) ?? (arguments.contains("--invalid") ? Suite.invalidRequest : Suite.validRequest)
            // `--varied`: invalid requests whose refused attribute takes 16 names in turn, so that
            // the first message of each is new to the engine's issue text cache (its miss cost).
            let bodies = arguments.contains("--varied") ? Suite.variedInvalidRequests : [body]
            if arguments.contains("--c-sax") || arguments.contains("--c-reader") {
                let suite = try Suite(harness: Harness(batches: 1, batchTarget: .milliseconds(1)))
                let route = arguments.contains("--c-sax") ? ccb_validate_sax : ccb_validate_reader
                if bodies.count > 1 {
                    for index in 0..<count {
                        bodies[index % bodies.count].withUnsafeBufferPointer { buffer in
                            buffer.withMemoryRebound(to: CChar.self) { chars in
                                blackHole(route(suite.state, chars.baseAddress!, Int32(chars.count)))
                            }
                        }
                    }
                    return
                }
                body.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { chars in
                        for _ in 0..<count { blackHole(route(suite.state, chars.baseAddress!, Int32(chars.count))) }
                    }
                }
                return
            }
            if bodies.count > 1 {
                for index in 0..<count { blackHole(try? codec.decodeRequest(bodies[index % bodies.count])) }
                return
            }
            let threads = arguments.contains("--two-threads") ? 2 : 1
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                if response {
                    for _ in 0..<count { blackHole(try? codec.decodeResponse(body)) }
                } else {
                    for _ in 0..<count { blackHole(try? codec.decodeRequest(body)) }
                }
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
        if arguments.contains("--processes") {
            var runs = 5
            if let index = arguments.firstIndex(of: "--runs"), arguments.index(after: index) < arguments.endIndex,
                let count = Int(arguments[arguments.index(after: index)])
            {
                runs = count
            }
            try ProcessScaling.measure(runs: runs).forEach(report)
            for measurement in results { print(measurement.jsonLine) }
            return
        }
        if arguments.contains("--sizes") {
            suite.sizeSeries().forEach(report)
            for measurement in results { print(measurement.jsonLine) }
            return
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
