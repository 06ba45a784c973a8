import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// The exchange log of a server subcommand (`serve`, `proxy`) and the run around it: one line per
/// exchange on standard output after the listening line, written by an ``ExchangeLogWriter`` (a
/// line at most 2 ms late, many in one write under load, never blocking a request).
///
/// The log is the contract: when it cannot be written, the server shuts down gracefully and the
/// subcommand fails with the write error (exit 74); lines still queued at the end are counted on
/// standard error.
final class ServerLog: Sendable {
    private let name: String
    private let writer: ExchangeLogWriter
    private let failure = NIOLockedValueBox<StandardOutput.WriteError?>(nil)
    private let failures: AsyncStream<Void>
    private let failureSink: AsyncStream<Void>.Continuation

    /// A log for the subcommand `name`, which begins its lines on standard error.
    init(name: String) {
        self.name = name
        let (failures, failureSink) = AsyncStream.makeStream(of: Void.self)
        self.failures = failures
        self.failureSink = failureSink
        let failure = failure
        writer = ExchangeLogWriter(name: name, linger: 0.002) { error in
            failure.withLockedValue { $0 = $0 ?? error }
            failureSink.yield()
        }
    }

    /// Queues one exchange's line (without its newline); never blocks.
    func enqueue(_ line: String) {
        writer.enqueue(line)
    }

    /// Stops the server as a failed log write does, with `error` (e.g. a recording that failed).
    func fail(_ error: StandardOutput.WriteError) {
        failure.withLockedValue { $0 = $0 ?? error }
        failureSink.yield()
    }

    /// Runs `service` in a service group that SIGTERM and SIGINT shut down gracefully, as a failed
    /// write does; writes `firstLine(port)` first once `listeningPort` gives the port.
    /// - Throws: The server's error (e.g. the port is taken), else the log's write error.
    func run(
        _ service: some Service, logger: Logger, listeningPort: @escaping @Sendable () async throws -> Int,
        firstLine: (Int) -> String
    ) async throws {
        let group = ServiceGroup(
            configuration: .init(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        let failureSink = failureSink
        let failures = failures
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { failureSink.finish() }
                try await group.run()
            }
            tasks.addTask {
                for await _ in failures {
                    await group.triggerGracefulShutdown()
                    return
                }
            }
            do {
                // Exchange lines wait in the queue until this one is written.
                writer.start(with: firstLine(try await listeningPort()))
            } catch {
                // The server failed to start: the group throws its own error, the one to report.
            }
            try await tasks.waitForAll()
        }
        let unwritten = writer.finish(timeout: 2)
        if unwritten > 0 {
            StandardOutput.writeToStandardError(
                "\(name): \(unwritten) log line\(unwritten == 1 ? "" : "s") not written: standard output is not being read")
        }
        if let failure = failure.withLockedValue({ $0 }) { throw failure }
    }
}
