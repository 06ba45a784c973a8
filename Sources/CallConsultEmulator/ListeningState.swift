import NIOConcurrencyHelpers

/// Whether a server (the emulator, the proxy) listens yet: the port once it does, the reason once
/// it stopped, and the tasks waiting for either.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
package final class ListeningState: Sendable {
    private enum Phase {
        case starting
        case listening(port: Int)
        case stopped(reason: String)
    }

    private struct State {
        var phase = Phase.starting
        var waiters: [Int: CheckedContinuation<Int, any Error>] = [:]
        var nextWaiter = 0
    }

    private let state = NIOLockedValueBox(State())
    /// The error a waiter gets once the server stopped, from the reason.
    private let notListening: @Sendable (String) -> any Error

    /// A server starting; `notListening` makes the error of a server that stopped (e.g.
    /// ``ECSSEmulator/NotListening``).
    package init(notListening: @escaping @Sendable (String) -> any Error) {
        self.notListening = notListening
    }

    /// The server accepts connections on `port`: every waiter gets it.
    package func started(port: Int) {
        let waiters = state.withLockedValue { state in
            state.phase = .listening(port: port)
            defer { state.waiters = [:] }
            return state.waiters.values
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }

    /// The server stopped (or failed to start): every waiter gets the `notListening` error.
    package func stopped(reason: String) {
        let waiters = state.withLockedValue { state in
            state.phase = .stopped(reason: reason)
            defer { state.waiters = [:] }
            return state.waiters.values
        }
        for waiter in waiters { waiter.resume(throwing: notListening(reason)) }
    }

    /// The port, once the server listens.
    package func port() async throws -> Int {
        let id = state.withLockedValue { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let now: Result<Int, any Error>? = state.withLockedValue { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    switch state.phase {
                    case .listening(let port): return .success(port)
                    case .stopped(let reason): return .failure(notListening(reason))
                    case .starting:
                        state.waiters[id] = continuation
                        return nil
                    }
                }
                if let now { continuation.resume(with: now) }
            }
        } onCancel: {
            let waiter = state.withLockedValue { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
