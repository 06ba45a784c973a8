import CallConsultKit
import NIOConcurrencyHelpers
import Synchronization

/// The registered stubs and the scenarios' states, shared by the Swift API and the admin API.
///
/// The data plane reads ``isEmpty`` (one atomic load) and goes on as if there were no stubs when
/// there are none; otherwise one lock covers choosing a stub, counting it down and moving its
/// scenario, so that two requests never both take a stub's last use.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
final class StubStore: Sendable {
    /// The most stubs registered at once.
    static let capacity = 10_000

    /// A stub a request was matched to.
    struct Claim: Sendable {
        var id: String
        var stub: ECSSEmulator.Stub
    }

    private struct Entry {
        var id: String
        var stub: ECSSEmulator.Stub
        var remaining: Int?
    }

    private struct State {
        var entries: [Entry] = []  // oldest first
        var scenarios: [String: String] = [:]
        var nextID = 1
    }

    private let state = NIOLockedValueBox(State())
    private let count = Atomic<Int>(0)

    /// Whether no stub is registered: the data plane's one check.
    var isEmpty: Bool { count.load(ordering: .relaxed) == 0 }

    /// Registers a checked stub; its scenario is listed (in `Started`) from now on.
    func add(_ stub: ECSSEmulator.Stub) throws(ECSSEmulator.StubError) -> String {
        try stub.validate()
        let id: String? = state.withLockedValue { state in
            guard state.entries.count < Self.capacity else { return nil }
            let id = "stub-\(state.nextID)"
            state.nextID += 1
            state.entries.append(Entry(id: id, stub: stub, remaining: stub.times))
            if let scenario = stub.scenario, state.scenarios[scenario] == nil {
                state.scenarios[scenario] = ECSSEmulator.startedState
            }
            count.store(state.entries.count, ordering: .relaxed)
            return id
        }
        guard let id else { throw ECSSEmulator.StubError(field: "", message: "over \(Self.capacity) stubs registered") }
        return id
    }

    /// Removes the stub `id`; `false` when there is none.
    func remove(id: String) -> Bool {
        state.withLockedValue { state in
            guard let index = state.entries.firstIndex(where: { $0.id == id }) else { return false }
            state.entries.remove(at: index)
            count.store(state.entries.count, ordering: .relaxed)
            return true
        }
    }

    /// Removes every stub (the scenarios keep their states).
    func removeAll() {
        state.withLockedValue { state in
            state.entries.removeAll()
            count.store(0, ordering: .relaxed)
        }
    }

    /// Every stub, oldest first.
    var all: [ECSSEmulator.RegisteredStub] {
        state.withLockedValue { state in
            state.entries.map { ECSSEmulator.RegisteredStub(id: $0.id, stub: $0.stub, remaining: $0.remaining) }
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
            state.entries.removeAll()
            state.scenarios.removeAll()
            count.store(0, ordering: .relaxed)
        }
    }

    /// The stub for a request's head, taken when it closes before the body (the newest stub of
    /// the command, domain and scenario state is a `reset_before_body` one); `nil` otherwise,
    /// and nothing is taken.
    func claimOnHead(command: CommandName, domain: String) -> Claim? {
        state.withLockedValue { state in
            guard let index = state.entries.lastIndex(where: { Self.matches($0.stub, command, domain, nil, state.scenarios) }),
                state.entries[index].stub.fault?.kind == .resetBeforeBody
            else { return nil }
            defer { count.store(state.entries.count, ordering: .relaxed) }
            return Self.take(index, &state)
        }
    }

    /// The newest stub matching a valid request, taken (counted down, its scenario moved); `nil`
    /// when none matches.
    func claim(_ request: ECSSRequest, domain: String) -> Claim? {
        state.withLockedValue { state in
            guard
                let index = state.entries.lastIndex(where: {
                    Self.matches($0.stub, request.command, domain, request, state.scenarios)
                })
            else { return nil }
            defer { count.store(state.entries.count, ordering: .relaxed) }
            return Self.take(index, &state)
        }
    }

    private static func take(_ index: Int, _ state: inout State) -> Claim {
        let entry = state.entries[index]
        if let remaining = entry.remaining {
            if remaining <= 1 {
                state.entries.remove(at: index)
            } else {
                state.entries[index].remaining = remaining - 1
            }
        }
        if let scenario = entry.stub.scenario, let next = entry.stub.newState {
            state.scenarios[scenario] = next
        }
        return Claim(id: entry.id, stub: entry.stub)
    }

    /// Whether `stub` matches: command, domain, scenario state, and (when `request` is given)
    /// every attribute of `match`; without `request`, attributes are not looked at.
    private static func matches(
        _ stub: ECSSEmulator.Stub, _ command: CommandName, _ domain: String, _ request: ECSSRequest?,
        _ scenarios: [String: String]
    ) -> Bool {
        guard stub.command == command, stub.domain.map({ $0 == domain }) ?? true else { return false }
        if let scenario = stub.scenario, let required = stub.requiredState,
            scenarios[scenario] ?? ECSSEmulator.startedState != required
        {
            return false
        }
        guard let request else { return true }
        return stub.match.allSatisfy { request.has($0.key, $0.value) }
    }
}
