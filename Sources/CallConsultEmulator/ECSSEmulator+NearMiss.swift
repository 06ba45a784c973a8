public import CallConsultKit

@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSEmulator {
    /// A registered stub that did not match an exchange, and why: what a test reads when the
    /// stub it registered did not apply.
    public struct NearMiss: Sendable, Hashable, CustomStringConvertible {
        /// The stub, as registered now.
        public var stub: RegisteredStub
        /// Every way the exchange differs from what the stub matches; empty when the stub would
        /// match it now (it was registered, or its scenario moved, after the exchange).
        public var mismatches: [Mismatch]

        /// `stub-3 (call_hold): conversation_id is c-2, not c-1`.
        public var description: String {
            let why = mismatches.isEmpty ? "matches now" : mismatches.map(\.description).joined(separator: "; ")
            return "\(stub.id) (\(stub.stub.command.rawValue)): \(why)"
        }
    }

    /// One way an exchange differs from what a stub matches.
    public enum Mismatch: Sendable, Hashable, CustomStringConvertible {
        /// The request was refused before stubs apply (no session, a body that is not a valid
        /// request, …).
        case refused(Refusal)
        /// The stub's command is another than the exchange's.
        case command(stub: CommandName, exchange: Command)
        /// The stub's domain is another than the exchange's.
        case domain(stub: String, exchange: String)
        /// The request's attribute `name` lacks the value the stub matches: it has `exchange`
        /// (empty: none, or the body was never decoded).
        case attribute(name: String, stub: String, exchange: [String])
        /// The stub's scenario is not (now) in the state it requires.
        case scenarioState(scenario: String, required: String, current: String)

        /// E.g. `conversation_id is c-2, not c-1`, `command is call_unhold, not call_hold`.
        public var description: String {
            switch self {
            case .refused(let refusal): "refused (\(refusal)) before stubs apply"
            case .command(let stub, let exchange): "command is \(exchange), not \(stub.rawValue)"
            case .domain(let stub, let exchange): "domain is \(exchange.isEmpty ? "none" : exchange), not \(stub)"
            case .attribute(let name, let stub, let exchange):
                exchange.isEmpty
                    ? "\(name) has no value, not \(stub)"
                    : "\(name) is \(exchange.joined(separator: ", ")), not \(stub)"
            case .scenarioState(let scenario, let required, let current):
                "scenario \(scenario) is in \(current), not \(required)"
            }
        }
    }

    /// The registered stubs, closest first, that did not match `exchange` (every one but the
    /// stub that answered it), and why: stubs of its command before others, then those with
    /// fewer differences, then the newest.
    ///
    /// ```swift
    /// if let exchange = running.exchanges.last, exchange.stub == nil {
    ///     print(running.emulator.nearMisses(for: exchange).prefix(3))
    ///     // [stub-2 (call_hold): conversation_id is c-2, not c-1]
    /// }
    /// ```
    ///
    /// Stubs and scenario states are compared as they are now, not as they were when the
    /// exchange was received: a stub that expired (`times`) is no longer listed.
    public func nearMisses(for exchange: Exchange) -> [NearMiss] {
        let states = scenarios
        let request = exchange.request
        var refusal: Refusal?
        if case .refused(let refused) = exchange.outcome { refusal = refused }
        let misses = stubs.enumerated().compactMap { index, registered -> (Int, NearMiss)? in
            guard registered.id != exchange.stub else { return nil }
            let stub = registered.stub
            var mismatches: [Mismatch] = refusal.map { [.refused($0)] } ?? []
            if exchange.command != .named(stub.command) {
                mismatches.append(.command(stub: stub.command, exchange: exchange.command))
            }
            if let domain = stub.domain, domain != exchange.domain {
                mismatches.append(.domain(stub: domain, exchange: exchange.domain))
            }
            for (name, value) in stub.match.sorted(by: { $0.key < $1.key }) where !(request?.has(name, value) ?? false) {
                mismatches.append(.attribute(name: name, stub: value, exchange: request?.values(of: name) ?? []))
            }
            if let scenario = stub.scenario, let required = stub.requiredState {
                let current = states[scenario] ?? Self.startedState
                if current != required {
                    mismatches.append(.scenarioState(scenario: scenario, required: required, current: current))
                }
            }
            return (index, NearMiss(stub: registered, mismatches: mismatches))
        }
        return
            misses.sorted { lhs, rhs in
                let (left, right) = (lhs.1, rhs.1)
                let leftOther = left.mismatches.contains { if case .command = $0 { true } else { false } }
                let rightOther = right.mismatches.contains { if case .command = $0 { true } else { false } }
                if leftOther != rightOther { return !leftOther }
                if left.mismatches.count != right.mismatches.count { return left.mismatches.count < right.mismatches.count }
                return lhs.0 > rhs.0
            }
            .map(\.1)
    }
}
