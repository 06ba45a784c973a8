import NIOConcurrencyHelpers

/// The session of one client: the cookies of the last login, and the login in flight that
/// concurrent callers share.
///
/// The first caller that finds no session logs in, in its own task (the client does no
/// background work); the others wait for that login. If it succeeds, all of them use its
/// cookies. If it is refused or fails, they get the same error, so that 64 callers with wrong
/// credentials cost one login, not 64. If the caller that logs in is cancelled or runs out of
/// time, the others are not failed with its error: one of them logs in instead. Each waiter stops
/// waiting at once when its own task is cancelled.
actor ClientSession {
    /// A session's cookies and the number of the login that set them.
    struct Session: Sendable {
        var login: LoggedIn
        var generation: Int
    }

    /// The cookies a login set, as ``session(logIn:)``'s `logIn` returns them.
    struct LoggedIn: Sendable {
        var jar: CookieJar
        /// The `Cookie` header of each command, made once at the login, and the time until which
        /// they hold.
        var cookies: CommandCookies
    }

    private var current: Session? {
        didSet { published.withLockedValue { $0 = current } }
    }
    /// ``current``, readable without a hop onto the actor: callers that find a session (all but
    /// those of the first login and of a re-login) never wait for the actor.
    private nonisolated let published = NIOLockedValueBox<Session?>(nil)
    private var generation = 0
    private var loggingIn = false
    private var nextWaiter = 0
    private var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
    /// The error of the last login, handed to the callers that waited for it.
    private var sharedFailure: (attempt: Int, error: ECSSClientError)?

    /// How many logins have been started: the number of the one in flight, which waiters compare
    /// with ``sharedFailure``'s.
    private var loginsStarted = 0

    /// The current session, if there is one, read without a hop onto the actor.
    nonisolated var established: Session? { published.withLockedValue { $0 } }

    /// The current session, logging in with `logIn` when there is none.
    nonisolated func session(logIn: @Sendable () async throws -> LoggedIn) async throws -> Session {
        if let session = established { return session }
        return try await sessionOnActor(logIn: logIn)
    }

    private func sessionOnActor(logIn: @Sendable () async throws -> LoggedIn) async throws -> Session {
        while true {
            if let current { return current }
            if loggingIn {
                let attempt = loginsStarted
                try await waitForLogin()
                if let failure = sharedFailure, failure.attempt == attempt { throw failure.error }
                continue
            }
            loggingIn = true
            loginsStarted += 1
            let attempt = loginsStarted
            do {
                let loggedIn = try await logIn()
                generation += 1
                let session = Session(login: loggedIn, generation: generation)
                current = session
                finishLogin()
                return session
            } catch let error as ECSSClientError where error.kind != .timeout {
                sharedFailure = (attempt, error)
                finishLogin()
                throw error
            } catch {
                // Cancelled or out of time: the caller's own fate, not the waiters'.
                finishLogin()
                throw error
            }
        }
    }

    /// Forgets the session numbered `generation` (its cookies were refused); a later session is
    /// kept, so that many callers that saw the same refusal cause one new login.
    func invalidate(generation: Int) {
        if current?.generation == generation { current = nil }
    }

    /// Forgets whatever session there is.
    func invalidateAll() {
        current = nil
    }

    private func finishLogin() {
        loggingIn = false
        let waiting = waiters
        waiters = [:]
        for continuation in waiting.values { continuation.resume() }
    }

    private func waitForLogin() async throws {
        let id = nextWaiter
        nextWaiter += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Registered in the same actor job that took the id: a cancellation that came
                // before is seen here, one that comes after finds the continuation.
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume(throwing: CancellationError())
    }
}
