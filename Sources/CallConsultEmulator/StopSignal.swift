import NIOConcurrencyHelpers

/// Tells every waiting fault that the emulator is stopping: a stalled or delayed exchange ends
/// then, so that a graceful shutdown never waits on one.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
final class StopSignal: Sendable {
    private struct State {
        var stopped = false
        var actions: [Int: @Sendable () -> Void] = [:]
        var next = 0
    }

    private let state = NIOLockedValueBox(State())

    /// Runs `action` when the emulator stops (at once when it already has); returns what
    /// ``remove(_:)`` takes.
    func onStop(_ action: @escaping @Sendable () -> Void) -> Int {
        let (id, now) = state.withLockedValue { state in
            defer { state.next += 1 }
            if state.stopped { return (state.next, true) }
            state.actions[state.next] = action
            return (state.next, false)
        }
        if now { action() }
        return id
    }

    /// Forgets an action that is no longer needed.
    func remove(_ id: Int) {
        _ = state.withLockedValue { $0.actions.removeValue(forKey: id) }
    }

    /// The emulator is stopping: every action runs, once.
    func stop() {
        let actions = state.withLockedValue { state in
            state.stopped = true
            defer { state.actions = [:] }
            return Array(state.actions.values)
        }
        for action in actions { action() }
    }
}
