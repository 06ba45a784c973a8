public import CallConsultKit

@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSEmulator {
    /// Which exchanges a verification counts or waits for: those of a command, of a domain, whose
    /// request has the given attribute values (by XML name, nested ones included, as a stub's
    /// `match`). An empty filter matches every exchange.
    ///
    /// ```swift
    /// let holds = ECSSEmulator.ExchangeFilter(command: .callHold, attributes: ["conversation_id": "c-1"])
    /// try await running.waitForExchanges(holds, count: 3, timeout: .seconds(2))
    /// ```
    public struct ExchangeFilter: Sendable, Hashable, CustomStringConvertible {
        /// The command the exchange's path names; `nil`: any.
        public var command: CommandName?
        /// The domain of the exchange's path; `nil`: any.
        public var domain: String?
        /// Values the exchange's request must have, by XML name (`conversation_id`, `agent_id`,
        /// `client_id`, …). An exchange whose body was not decoded (a refusal, a
        /// `reset_before_body`) has none, and matches only while this is empty.
        public var attributes: [String: String]

        /// Creates a filter; every part is optional.
        public init(command: CommandName? = nil, domain: String? = nil, attributes: [String: String] = [:]) {
            self.command = command
            self.domain = domain
            self.attributes = attributes
        }

        /// Whether `exchange` matches every part of the filter.
        public func matches(_ exchange: Exchange) -> Bool {
            if let command, exchange.command != .named(command) { return false }
            if let domain, exchange.domain != domain { return false }
            guard !attributes.isEmpty else { return true }
            guard let request = exchange.request else { return false }
            return attributes.allSatisfy { request.has($0.key, $0.value) }
        }

        /// E.g. `call_hold exchanges with conversation_id=c-1`, or `exchanges` for an empty filter.
        public var description: String {
            var text = command.map { "\($0.rawValue) exchanges" } ?? "exchanges"
            if let domain { text += " of \(domain)" }
            if !attributes.isEmpty {
                text += " with " + attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            }
            return text
        }
    }
}

@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSEmulator.Exchange {
    /// The request as decoded: a login (logged in, or refused for its credentials), a command
    /// answered or faulted; `nil` when its body was not decoded (any other refusal, a
    /// `reset_before_body`). A login's API key stays inside its `LoginRequest`.
    public var request: ECSSRequest? {
        switch outcome {
        case .loggedIn(let login), .refused(.invalidCredentials(let login)): .login(login)
        case .answered(let request, _): request
        case .faulted(_, let request, _): request
        case .refused: nil
        }
    }
}
