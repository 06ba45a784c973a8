import NIOConcurrencyHelpers

/// Whether the `call_consult` request of a call may have reached the server: set just before it
/// is handed to the `HTTPClient`, cleared when the answer says the session was lost (the command
/// was then not carried out). Read when the deadline passes, to fill in
/// ``ECSSClientError/mayHaveBeenDelivered``.
final class CommandProgress: Sendable {
    private let sent = NIOLockedValueBox(false)

    var mayHaveBeenDelivered: Bool {
        get { sent.withLockedValue { $0 } }
        set { sent.withLockedValue { $0 = newValue } }
    }
}

extension ECSSClient {
    private enum Race<Value: Sendable>: Sendable {
        case finished(Value)
        case timedOut
        /// The timer was cancelled (with the calling task): the operation's outcome decides.
        case timerCancelled
    }

    /// Runs `operation` until it returns or `deadline` passes, whichever comes first.
    ///
    /// When the deadline passes, `operation` is cancelled (the request in flight with it) and a
    /// ``ECSSClientError/Kind/timeout`` error is thrown. When the calling task is cancelled,
    /// `CancellationError` is thrown, whatever `operation` threw on its way out; but a value
    /// `operation` returned is returned, even when the cancellation came meanwhile.
    static func withDeadline<Value: Sendable>(
        _ deadline: ContinuousClock.Instant, progress: CommandProgress,
        _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let outcome: Result<Race<Value>, any Error> = await withTaskGroup(of: Result<Race<Value>, any Error>.self) { group in
            group.addTask {
                do {
                    return .success(.finished(try await operation()))
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                do {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    return .success(.timedOut)
                } catch {
                    return .success(.timerCancelled)
                }
            }
            var first = await group.next() ?? .failure(CancellationError())
            if case .success(.timerCancelled) = first { first = await group.next() ?? .failure(CancellationError()) }
            group.cancelAll()
            return first
        }
        // An answer that arrived is returned even when the caller was cancelled meanwhile: the
        // command was carried out, and the caller must be able to know it.
        if case .success(.finished(let value)) = outcome { return value }
        if Task.isCancelled { throw CancellationError() }
        switch outcome {
        case .success(.finished(let value)):
            return value
        case .success(.timedOut):
            throw timeoutError(progress: progress)
        case .success(.timerCancelled):
            throw CancellationError()
        case .failure(let error as ECSSClientError):
            throw error
        case .failure(let error):
            // A cancellation that is not the caller's is the deadline's, seen first by the operation.
            if error is CancellationError, ContinuousClock.now >= deadline { throw timeoutError(progress: progress) }
            throw error
        }
    }

    private static func timeoutError(progress: CommandProgress) -> ECSSClientError {
        let delivered = progress.mayHaveBeenDelivered
        return ECSSClientError(
            kind: .timeout,
            message: delivered
                ? "no answer to call_consult within the timeout" : "the timeout passed before call_consult was sent",
            mayHaveBeenDelivered: delivered)
    }
}
