import Foundation
import XCTest

/// Runs the built `callconsult` binary from the package root, directly or under `/bin/sh`.
struct CommandRunner {
    /// What one run left behind.
    struct Run {
        /// The exit status, or the signal number when `signaled`.
        var status: Int32
        /// Whether a signal ended the process.
        var signaled: Bool
        var stdout: String
        var stderr: String
        /// Standard output's non-empty lines.
        var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    }

    /// The package's root folder: the working directory of every run.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary built next to the tests (`callconsult` unless another was named).
    let executable: URL

    /// Finds the binary `name` (an executable target of the package); skips the test when it was
    /// not built.
    init(named name: String = "callconsult") throws {
        #if os(macOS)
        let products = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL.deletingLastPathComponent()
        #else
        let products = Bundle.main.bundleURL
        #endif
        let url = try XCTUnwrap(products).appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw XCTSkip("\(name) is not built next to the tests at \(url.path)")
        }
        executable = url
    }

    /// Runs `callconsult arguments…` with `stdin` on a pipe (closed after it is written), in this
    /// process's environment or in `environment` alone.
    func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil) throws -> Run {
        let input = Pipe()
        return try launch(executable, arguments, input: input.fileHandleForReading, environment: environment) {
            if let stdin { input.fileHandleForWriting.write(stdin) }
            try input.fileHandleForWriting.close()
        }
    }

    /// Runs `script` with `/bin/sh -c`, `$0` being the binary's path, `$1`… `arguments`:
    /// for redirections the test process cannot make itself (`<&-`, `</dev/zero`, `>/dev/full`).
    func shell(_ script: String, _ arguments: [String] = []) throws -> Run {
        try launch(
            URL(fileURLWithPath: "/bin/sh"), ["-c", script, executable.path] + arguments,
            input: FileHandle.nullDevice, afterLaunch: {})
    }

    /// Runs `callconsult arguments…` with standard output on a pipe whose reading end is already
    /// closed: every write fails with `EPIPE` (or raises `SIGPIPE`). Standard error is captured.
    func runIntoClosedPipe(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = Self.packageRoot
        let out = Pipe()
        let err = Pipe()
        try out.fileHandleForReading.close()
        process.standardOutput = out.fileHandleForWriting
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try out.fileHandleForWriting.close()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal, stdout: "",
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// `environment` with this process's sanitizer options added: a child built with a sanitizer
    /// runs under the options the suite was given (Scripts/sanitizers.sh turns LeakSanitizer off,
    /// whose report at exit would change the exit status a test checks).
    static func withSanitizerOptions(_ environment: [String: String]) -> [String: String] {
        var environment = environment
        let names = ["ASAN_OPTIONS", "TSAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"]
        for name in names where environment[name] == nil {
            environment[name] = ProcessInfo.processInfo.environment[name]
        }
        return environment
    }

    private func launch(
        _ executable: URL, _ arguments: [String], input: FileHandle, environment: [String: String]? = nil,
        afterLaunch: () throws -> Void
    ) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = Self.withSanitizerOptions(environment) }
        process.currentDirectoryURL = Self.packageRoot
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        try afterLaunch()
        // Standard error is read on another thread so that neither pipe can fill up and stall the child.
        let stderr = ReadToEnd(err.fileHandleForReading)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
            stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr.wait(), as: UTF8.self))
    }

    /// Parses one JSON object line.
    static func json(_ line: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], line)
    }
}

/// Reads a file handle to its end on a thread of its own.
private final class ReadToEnd: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()  // written by the thread before `done` is signalled, read after

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
