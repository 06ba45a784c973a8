import Foundation
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A running `callconsult serve`: its first line read, its output collected, stopped by a signal.
final class ServeProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var output = Data()  // standard output so far, guarded by lock
    private let stderr = Pipe()
    private let stdout = Pipe()
    private let readerDone = DispatchSemaphore(value: 0)

    /// The URL of the first line, `http://HOST:PORT` (`https://…` with `--tls-cert`).
    private(set) var baseURL = ""

    /// Starts `callconsult serve arguments…` with exactly `environment` (and the sanitizer
    /// options), and waits (at most 20 s)
    /// for its first line, which must be `listening on http://HOST:PORT` (`https://` with
    /// `--tls-cert`). With
    /// `readingOnlyTheFirstLine`, standard output is not read any further (as by a tool that only
    /// wanted the port): the pipe fills up and stays full.
    /// `subcommand` is `serve` unless given (`proxy` has the same first line).
    init(
        _ arguments: [String], subcommand: String = "serve", environment: [String: String] = [:],
        readingOnlyTheFirstLine: Bool = false
    ) throws {
        let runner = try CommandRunner()
        process.executableURL = runner.executable
        process.arguments = [subcommand] + arguments
        process.environment = CommandRunner.withSanitizerOptions(environment)
        process.currentDirectoryURL = CommandRunner.packageRoot
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let handle = stdout.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                lock.withLock { output.append(data) }
                if readingOnlyTheFirstLine, data.contains(UInt8(ascii: "\n")) { break }
            }
            readerDone.signal()
        }
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, process.isRunning, lines.isEmpty {
            Thread.sleep(forTimeInterval: 0.02)
        }
        guard let first = lines.first else {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw NoFirstLine(stderr: errors)
        }
        let prefix = "listening on "
        let scheme = arguments.contains("--tls-cert") ? "https" : "http"
        XCTAssertTrue(first.hasPrefix(prefix + scheme + "://127.0.0.1:"), first)
        baseURL = String(first.dropFirst(prefix.count))
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// `serve` ended, or wrote nothing for 20 s, before its first line.
    struct NoFirstLine: Error, CustomStringConvertible {
        var stderr: String
        var description: String { "serve wrote no first line; standard error: \(stderr)" }
    }

    /// The complete lines written to standard output so far.
    var lines: [String] {
        let text = lock.withLock { String(decoding: output, as: UTF8.self) }
        guard let end = text.lastIndex(of: "\n") else { return [] }
        return text[..<end].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Sends `signal`, waits (at most 20 s) for the exit, and returns the exit status and every
    /// line of standard output.
    func stop(with signal: Int32 = SIGTERM) -> (status: Int32, lines: [String], stderr: String) {
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            process.terminate()
            XCTFail("serve did not stop within 20 s of signal \(signal)")
        }
        process.waitUntilExit()
        _ = readerDone.wait(timeout: .now() + 5)
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationReason == .exit ? process.terminationStatus : -1, lines, errors)
    }

    /// A session that neither keeps nor sends cookies: each test sends the session cookie itself.
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpShouldSetCookies = false
        return URLSession(configuration: configuration)
    }()

    /// POSTs `body` to `/<domain>/service/cc/arm/<command>` with `cookie`; returns the status,
    /// the session cookie set (`ECSS_SESSION=…`) and the body.
    func post(
        _ command: String, _ body: String, cookie: String? = nil, domain: String = "example.domain",
        timeout: TimeInterval = 60
    ) async throws -> (status: Int, cookie: String?, body: String) {
        let url = try XCTUnwrap(URL(string: "\(baseURL)/\(domain)/service/cc/arm/\(command)"))
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.httpShouldHandleCookies = false
        request.setValue("application/xml; charset=utf-8", forHTTPHeaderField: "Content-Type")
        if let cookie { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
        let (data, response) = try await Self.session.data(for: request)
        let http = try XCTUnwrap(response as? HTTPURLResponse)
        let setCookie = (http.value(forHTTPHeaderField: "Set-Cookie")).flatMap { $0.split(separator: ";").first }.map(String.init)
        return (http.statusCode, setCookie, String(decoding: data, as: UTF8.self))
    }
}
