import CallConsultKit
import Foundation

/// Two threads decoding in one process against two processes decoding side by side, in the same
/// run: the second process is a copy of this executable (`--child-decode N`), so both sides pay
/// the same code, the same libxml2 and the same machine at the same moment.
///
/// A run measures, in turn: one thread alone; two threads in this process; this process and a
/// child each decoding on one thread at once. In-process scaling (two threads over one) is then
/// reported as a fraction of two-process scaling (the two processes' summed rate over one
/// thread's), per run; the runs give the median and the range.
enum ProcessScaling {
    /// Decodes per thread in each measured stretch.
    static let perThread = 200_000

    /// The child's side: waits for a line on standard input, decodes `count` valid requests on one
    /// thread, prints its rate (decodes per second) and exits.
    static func child(count: Int) {
        let codec = CallConsultCodec()
        for _ in 0..<20_000 { blackHole(try? codec.decodeRequest(Suite.validRequest)) }
        print("ready")
        fflush(nil)
        _ = readLine()
        let start = ContinuousClock.now
        for _ in 0..<count { blackHole(try? codec.decodeRequest(Suite.validRequest)) }
        print(Double(count) / Harness.seconds(ContinuousClock.now - start))
        fflush(nil)
    }

    /// `runs` alternating runs; each gives (two threads / one, two processes / one).
    static func measure(runs: Int) throws -> [Measurement] {
        let codec = CallConsultCodec()
        @Sendable func decode(_ count: Int) {
            for _ in 0..<count { blackHole(try? codec.decodeRequest(Suite.validRequest)) }
        }
        func oneThread() -> Double {
            let start = ContinuousClock.now
            decode(perThread)
            return Double(perThread) / Harness.seconds(ContinuousClock.now - start)
        }
        func twoThreads() -> Double {
            let start = ContinuousClock.now
            DispatchQueue.concurrentPerform(iterations: 2) { _ in decode(perThread) }
            return Double(2 * perThread) / Harness.seconds(ContinuousClock.now - start)
        }
        func twoProcesses() throws -> Double {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            child.arguments = ["--child-decode", String(perThread)]
            let input = Pipe()
            let output = Pipe()
            child.standardInput = input
            child.standardOutput = output
            try child.run()
            let reader = output.fileHandleForReading
            guard Self.line(from: reader) == "ready" else { throw BenchError("the child process did not start") }
            input.fileHandleForWriting.write(Data("go\n".utf8))
            let mine = oneThread()
            let theirs = Self.line(from: reader).flatMap(Double.init)
            child.waitUntilExit()
            guard let theirs else { throw BenchError("the child process reported no rate") }
            return mine + theirs
        }
        _ = oneThread()
        var threadRates: [Double] = []
        var processRates: [Double] = []
        var threadScaling: [Double] = []
        var processScaling: [Double] = []
        var fractions: [Double] = []
        for _ in 0..<runs {
            let single = oneThread()
            let threadRate = twoThreads()
            let threads = threadRate / single
            let single2 = oneThread()
            let processRate = try twoProcesses()
            let processes = processRate / single2
            threadRates.append(threadRate)
            processRates.append(processRate)
            threadScaling.append(threads)
            processScaling.append(processes)
            fractions.append(threads / processes)
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        func range(_ values: [Double]) -> String {
            String(format: "%.2f–%.2f", values.min() ?? 0, values.max() ?? 0)
        }
        var threads = Measurement(
            name: "decode valid, 2 threads in 1 process", nanosecondsPerOperation: 1e9 / median(threadRates))
        threads.ratio = median(threadScaling)
        threads.baseline = "1 thread; median of \(runs) runs, range \(range(threadScaling))"
        var processes = Measurement(
            name: "decode valid, 2 processes side by side", nanosecondsPerOperation: 1e9 / median(processRates))
        processes.ratio = median(processScaling)
        processes.baseline = "1 thread; median of \(runs) runs, range \(range(processScaling))"
        var fraction = Measurement(
            name: "in-process scaling / two-process scaling", nanosecondsPerOperation: 1e9 / median(threadRates))
        fraction.ratio = median(fractions)
        fraction.baseline =
            "median of \(runs) runs, range \(range(fractions)), each run: \(fractions.map { String(format: "%.2f", $0) }.joined(separator: " "))"
        return [threads, processes, fraction]
    }

    /// One line of the child's output, without its line break.
    private static func line(from handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        while true {
            let byte = handle.readData(ofLength: 1)
            guard let first = byte.first else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if first == 0x0A { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(first)
        }
    }
}
