import CallConsultKit
import NIOConcurrencyHelpers
import Synchronization

/// The registered stubs and the scenarios' states, shared by the Swift API and the admin API.
///
/// The data plane reads ``isEmpty`` (one atomic load) and goes on as if there were no stubs when
/// there are none; otherwise one lock covers choosing a stub (from ``StubIndex``, which looks at
/// the few stubs that can match the request), counting it down and moving its scenario, so that
/// two requests never both take a stub's last use.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
final class StubStore: Sendable {
    /// The most stubs registered at once.
    static let capacity = 10_000

    /// A stub a request was matched to.
    struct Claim: Sendable {
        var id: String
        var stub: ECSSEmulator.Stub
    }

    private struct State {
        var index = StubIndex()
        var scenarios: [String: String] = [:]
        var nextID = 1
    }

    private let state = NIOLockedValueBox(State())
    private let count = Atomic<Int>(0)
    /// How many `reset_before_body` stubs are registered: the head's one check when there are none.
    private let resetsBeforeBody = Atomic<Int>(0)

    /// Publishes the counts the data plane reads without the lock; called under it.
    private func published(_ state: State) {
        count.store(state.index.count, ordering: .relaxed)
        resetsBeforeBody.store(state.index.resetsBeforeBody, ordering: .relaxed)
    }

    /// Whether no stub is registered: the data plane's one check.
    var isEmpty: Bool { count.load(ordering: .relaxed) == 0 }

    /// Registers a checked stub; its scenario is listed (in `Started`) from now on, until
    /// ``capacity`` scenarios are listed and a new one comes: then those no registered stub names
    /// are forgotten.
    func add(_ stub: ECSSEmulator.Stub) throws(ECSSEmulator.StubError) -> String {
        try stub.validate()
        let id: String? = state.withLockedValue { state in
            guard state.index.count < Self.capacity else { return nil }
            let id = "stub-\(state.nextID)"
            state.index.insert(.init(order: state.nextID, id: id, stub: stub, remaining: stub.times))
            state.nextID += 1
            if let scenario = stub.scenario, state.scenarios[scenario] == nil {
                if state.scenarios.count >= Self.capacity { Self.forgetUnnamedScenarios(&state) }
                state.scenarios[scenario] = ECSSEmulator.startedState
            }
            published(state)
            return id
        }
        guard let id else { throw ECSSEmulator.StubError(field: "", message: "over \(Self.capacity) stubs registered") }
        return id
    }

    /// Forgets the scenarios no registered stub names, so that their number stays within
    /// ``capacity`` (as the stubs' does) however many come and go.
    private static func forgetUnnamedScenarios(_ state: inout State) {
        let named = Set(state.index.all.compactMap(\.stub.scenario))
        state.scenarios = state.scenarios.filter { named.contains($0.key) }
    }

    /// Removes the stub `id`; `false` when there is none.
    func remove(id: String) -> Bool {
        state.withLockedValue { state in
            guard state.index.remove(id: id) else { return false }
            published(state)
            return true
        }
    }

    /// Removes every stub (the scenarios keep their states).
    func removeAll() {
        state.withLockedValue { state in
            state.index.removeAll()
            published(state)
        }
    }

    /// Every stub, oldest first.
    var all: [ECSSEmulator.RegisteredStub] {
        state.withLockedValue { state in
            state.index.all.map { ECSSEmulator.RegisteredStub(id: $0.id, stub: $0.stub, remaining: $0.remaining) }
        }
    }

    /// Every scenario and its state.
    var scenarios: [String: String] { state.withLockedValue { $0.scenarios } }

    /// Every scenario back to `Started`.
    func resetScenarios() {
        state.withLockedValue { state in
            for name in state.scenarios.keys { state.scenarios[name] = ECSSEmulator.startedState }
        }
    }

    /// Stubs removed, scenarios forgotten (those of stubs registered later start again).
    func reset() {
        state.withLockedValue { state in
            state.index.removeAll()
            state.scenarios.removeAll()
            published(state)
        }
    }

    /// The stub for a request's head, taken when it closes before the body (the newest stub of
    /// the command, domain and scenario state is a `reset_before_body` one); `nil` otherwise,
    /// and nothing is taken.
    func claimOnHead(command: CommandName, domain: String) -> Claim? {
        guard resetsBeforeBody.load(ordering: .relaxed) > 0 else { return nil }
        return state.withLockedValue { state in
            let scenarios = state.scenarios
            guard
                let order = state.index.newestOnHead(
                    of: command, where: { Self.isCandidate($0, domain, scenarios) })
            else { return nil }
            defer { published(state) }
            return Self.take(order, &state)
        }
    }

    /// The newest stub matching a valid request, taken (counted down, its scenario moved); `nil`
    /// when none matches.
    func claim(_ request: ECSSRequest, domain: String) -> Claim? {
        state.withLockedValue { state in
            let scenarios = state.scenarios
            guard
                let order = state.index.newest(
                    matching: request, where: { Self.isCandidate($0, domain, scenarios) })
            else { return nil }
            defer { published(state) }
            return Self.take(order, &state)
        }
    }

    private static func take(_ order: Int, _ state: inout State) -> Claim? {
        guard let entry = state.index[order] else { return nil }
        if let remaining = entry.remaining {
            if remaining <= 1 {
                state.index.remove(order: order)
            } else {
                state.index[order]?.remaining = remaining - 1
            }
        }
        if let scenario = entry.stub.scenario, let next = entry.stub.newState {
            state.scenarios[scenario] = next
        }
        return Claim(id: entry.id, stub: entry.stub)
    }

    /// Whether `stub` may apply to a request of `domain` now: its domain, its scenario's state
    /// (the index checks the command and the attributes).
    private static func isCandidate(
        _ stub: ECSSEmulator.Stub, _ domain: String, _ scenarios: [String: String]
    ) -> Bool {
        guard stub.domain.map({ $0 == domain }) ?? true else { return false }
        if let scenario = stub.scenario, let required = stub.requiredState,
            scenarios[scenario] ?? ECSSEmulator.startedState != required
        {
            return false
        }
        return true
    }
}
