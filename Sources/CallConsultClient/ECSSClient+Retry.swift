import CallConsultKit
import Logging

/// Trying a call again after a failure in which nothing was sent, as the retry policy says.
extension ECSSClient {
    /// Runs `attempt` (a login and a command, or a login) and, as long as it fails with an error of
    /// which no byte was sent (``ECSSClientError/nothingSent``), runs it again after the
    /// ``RetryPolicy``'s wait, up to ``RetryPolicy/maxRetries`` more times and only while the wait
    /// ends before `deadline`. The error thrown is the last attempt's, with the earlier ones'
    /// (``ECSSClientError/previousAttempts``); any other error, and a cancellation (which ends a
    /// wait at once), is thrown as it is.
    func withRetries<Value: Sendable>(
        deadline: ContinuousClock.Instant, progress: CommandProgress, logger: Logger,
        _ attempt: () async throws -> Value
    ) async throws -> Value {
        let policy = configuration.retryPolicy
        var earlier: [ECSSClientError] = []
        while true {
            do {
                return try await attempt()
            } catch var error as ECSSClientError {
                if error.nothingSent, earlier.count < policy.maxRetries, !Task.isCancelled {
                    let wait = policy.wait(beforeRetry: earlier.count + 1)
                    let resume = ContinuousClock.now + wait
                    if resume < deadline {
                        logger.debug(
                            "ecss retrying: nothing was sent",
                            metadata: [
                                "ecss.command": .string(progress.command.rawValue),
                                "ecss.attempt": .stringConvertible(earlier.count + 2),
                                "ecss.retry.wait_ms": .stringConvertible(Self.nanoseconds(wait) / 1_000_000),
                                "ecss.error.kind": .string(error.kind.code),
                            ])
                        instruments.retry(command: progress.command, kind: error.kind)
                        earlier.append(error)
                        progress.retrying(after: error)
                        // Cancelled at once with the call (by its caller, or by the deadline).
                        try await Task.sleep(until: resume, clock: .continuous)
                        continue
                    }
                    logger.debug(
                        "ecss not retrying: the wait would end after the deadline",
                        metadata: ["ecss.command": .string(progress.command.rawValue)])
                }
                error.previousAttempts = earlier
                throw error
            }
        }
    }
}
