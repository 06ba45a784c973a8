import CallConsultKit
import NIOConcurrencyHelpers
import NIOCore

/// What a call's deadline needs to know of its progress, to say what was under way when it
/// passed: the command the call sends (``command``; `login` for ``ECSSClient/login(logger:)``);
/// whether a login is under way (set when the call finds no session, cleared when it has one);
/// whether the command's request may have reached the server (set just before it is handed to
/// the `HTTPClient`, cleared when the answer says the session was lost: the command was then not
/// carried out), read when the deadline passes to fill in
/// ``ECSSClientError/mayHaveBeenDelivered``; and whether the deadline passed (set by the timer
/// before it cancels the call's work).
///
/// A call that finds a session takes the lock only to mark the request sent: the login flag is
/// touched on the login's path only.
final class CommandProgress: Sendable {
    private struct State {
        var sent = false
        var loggingIn = false
        var deadlinePassed = false
        /// The failures of the earlier attempts, each retried (nothing of it was sent).
        var previousAttempts: [ECSSClientError] = []
    }

    /// The command the call sends.
    let command: CommandName
    private let state = NIOLockedValueBox(State())

    init(command: CommandName) {
        self.command = command
    }

    var mayHaveBeenDelivered: Bool {
        get { state.withLockedValue { $0.sent } }
        set { state.withLockedValue { $0.sent = newValue } }
    }

    var loggingIn: Bool {
        get { state.withLockedValue { $0.loggingIn } }
        set { state.withLockedValue { $0.loggingIn = newValue } }
    }

    var deadlinePassed: Bool {
        get { state.withLockedValue { $0.deadlinePassed } }
        set { state.withLockedValue { $0.deadlinePassed = newValue } }
    }

    /// How many attempts the call has made so far (the one under way included).
    var attempts: Int { state.withLockedValue { $0.previousAttempts.count + 1 } }

    /// The failures of the earlier attempts.
    var previousAttempts: [ECSSClientError] { state.withLockedValue { $0.previousAttempts } }

    /// Records that an attempt failed with `failure`, of which nothing was sent, and that another
    /// one begins: nothing of the call has been sent, and no login is under way.
    func retrying(after failure: ECSSClientError) {
        state.withLockedValue {
            $0.previousAttempts.append(failure)
            $0.sent = false
            $0.loggingIn = false
        }
    }

    /// The message of a timeout: it names the login when one was under way (the call's own, or
    /// another caller's it was waiting for), the command otherwise.
    var timeoutMessage: String {
        let (sent, loggingIn) = state.withLockedValue { ($0.sent, $0.loggingIn) }
        if loggingIn {
            return command == .login
                ? "no answer to login within the timeout"
                : "the login did not finish within the timeout; \(command) was not sent"
        }
        return sent ? "no answer to \(command) within the timeout" : "the timeout passed before \(command) was sent"
    }
}

extension ECSSClient {
    /// Runs `operation` until it returns or `deadline` passes, whichever comes first.
    ///
    /// When the deadline passes, `operation` is cancelled (the request in flight with it) and a
    /// ``ECSSClientError/Kind/timeout`` error is thrown. When the calling task is cancelled,
    /// `CancellationError` is thrown, whatever `operation` threw on its way out; but a value
    /// `operation` returned is returned, even when the cancellation came meanwhile.
    ///
    /// `operation` runs in a task of its own, so that the deadline can cancel it without
    /// cancelling the caller; the deadline is watched by `timer`, the client's one
    /// ``DeadlineTimer`` (no timer, second task or `Task.sleep` of its own per call).
    /// AsyncHTTPClient's own deadline bounds an exchange only until the answer's head: reading the
    /// body, and waiting for another caller's login, are bounded by this one.
    static func withDeadline<Value: Sendable>(
        _ deadline: ContinuousClock.Instant, progress: CommandProgress, timer: DeadlineTimer,
        _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let work = Task { try await operation() }
        let outcome = await withTaskCancellationHandler {
            let token = timer.add(nioDeadline(deadline)) {
                progress.deadlinePassed = true
                work.cancel()
            }
            let result = await work.result
            timer.remove(token)
            return result
        } onCancel: {
            work.cancel()
        }
        switch outcome {
        case .success(let value):
            // An answer that arrived is returned even when the caller was cancelled meanwhile:
            // the command was carried out, and the caller must be able to know it.
            return value
        case .failure(let error):
            if Task.isCancelled { throw CancellationError() }
            if let error = error as? ECSSClientError { throw error }
            // A cancellation that is not the caller's is the deadline's.
            if error is CancellationError, progress.deadlinePassed || ContinuousClock.now >= deadline {
                throw timeoutError(progress: progress)
            }
            throw error
        }
    }

    private static func timeoutError(progress: CommandProgress) -> ECSSClientError {
        ECSSClientError(
            kind: .timeout, message: progress.timeoutMessage, mayHaveBeenDelivered: progress.mayHaveBeenDelivered,
            previousAttempts: progress.previousAttempts)
    }
}
