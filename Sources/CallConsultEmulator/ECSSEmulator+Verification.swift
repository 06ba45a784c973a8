@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSEmulator {
    /// The recorded exchanges numbered after `seq` that `filter` matches, oldest first.
    public func exchanges(matching filter: ExchangeFilter, since seq: Int = 0) -> [Exchange] {
        log.after(seq).filter(filter.matches)
    }

    /// How many recorded exchanges numbered after `seq` `filter` matches: e.g. the `call_hold`
    /// exchanges of conversation `c-1`, `count(of: ExchangeFilter(command: .callHold,
    /// attributes: ["conversation_id": "c-1"]))`.
    public func count(of filter: ExchangeFilter, since seq: Int = 0) -> Int {
        log.after(seq).reduce(0) { $0 + (filter.matches($1) ? 1 : 0) }
    }

    /// Waits until at least `count` exchanges numbered after `seq` match `filter`, and returns
    /// those that do (oldest first); throws ``WaitTimeout`` after `timeout`.
    ///
    /// ```swift
    /// // until 3 call_hold exchanges, or 2 s
    /// let holds = try await running.emulator.waitForExchanges(ExchangeFilter(command: .callHold), count: 3)
    /// ```
    ///
    /// The journal is looked at every 10 milliseconds, without holding a thread. It keeps the
    /// latest ``Configuration/maxRecordedExchanges``: older ones no longer count.
    /// - Throws: ``WaitTimeout``, whose description lists every exchange received, one line each
    ///   (what XCTest prints for a test that throws); `CancellationError` when the task is
    ///   cancelled.
    @discardableResult
    public func waitForExchanges(
        _ filter: ExchangeFilter, count: Int = 1, since seq: Int = 0, timeout: Duration = .seconds(2)
    ) async throws -> [Exchange] {
        try await waitForExchanges(count: count, since: seq, timeout: timeout, expecting: filter.description) {
            filter.matches($0)
        }
    }

    /// Waits until at least `count` exchanges numbered after `seq` satisfy `predicate`, as
    /// ``waitForExchanges(_:count:since:timeout:)`` does.
    /// - Parameter expecting: What `predicate` looks for, for the error's text, e.g. `refused
    ///   call_hold exchanges`.
    @discardableResult
    public func waitForExchanges(
        count: Int = 1, since seq: Int = 0, timeout: Duration = .seconds(2), expecting: String = "matching exchanges",
        where predicate: (Exchange) -> Bool
    ) async throws -> [Exchange] {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let received = log.after(seq)
            let matched = received.filter(predicate)
            if matched.count >= count { return matched }
            guard clock.now < deadline else {
                throw WaitTimeout(
                    expected: expecting, count: count, timeout: timeout, matched: matched.count, received: received)
            }
            try await Task.sleep(for: min(.milliseconds(10), deadline - clock.now), clock: clock)
        }
    }

    /// The exchanges numbered after `seq`, one line each (`#SEQ STATUS DOMAIN COMMAND: OUTCOME
    /// [STUB]`), for an assertion's message: `XCTAssertEqual(running.emulator.count(of: holds), 3,
    /// running.emulator.exchangeReport())`. Never the API key.
    public func exchangeReport(since seq: Int = 0) -> String {
        Self.lines(of: log.after(seq))
    }

    /// The most lines a report shows: the latest exchanges.
    static let reportedExchanges = 200

    /// One line per exchange (the latest ``reportedExchanges``), `(none)` for none.
    static func lines(of exchanges: [Exchange]) -> String {
        guard !exchanges.isEmpty else { return "(none)" }
        let shown = exchanges.suffix(reportedExchanges)
        var lines = shown.map { exchange in
            "#\(exchange.seq) \(exchange)" + (exchange.stub.map { " [\($0)]" } ?? "")
        }
        if exchanges.count > shown.count { lines.insert("… \(exchanges.count - shown.count) earlier not shown", at: 0) }
        return lines.joined(separator: "\n")
    }

    /// ``ECSSEmulator/waitForExchanges(_:count:since:timeout:)`` gave up: fewer exchanges than
    /// expected matched in time.
    public struct WaitTimeout: Error, Sendable, CustomStringConvertible {
        /// What was waited for, e.g. `call_hold exchanges with conversation_id=c-1`.
        public var expected: String
        /// How many were expected.
        public var count: Int
        /// How long it waited.
        public var timeout: Duration
        /// How many matched.
        public var matched: Int
        /// Every exchange received (after the `since` given), oldest first.
        public var received: [Exchange]

        /// `expected 3 call_hold exchanges within 2.0 seconds, 1 matched; received:` and one line
        /// per exchange received (``ECSSEmulator/exchangeReport(since:)``'s).
        public var description: String {
            "expected \(count) \(expected) within \(timeout), \(matched) matched; received \(received.count):\n"
                + ECSSEmulator.lines(of: received)
        }
    }
}

@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSEmulator.Running {
    /// ``ECSSEmulator/waitForExchanges(_:count:since:timeout:)`` of the running emulator.
    @discardableResult
    public func waitForExchanges(
        _ filter: ECSSEmulator.ExchangeFilter, count: Int = 1, since seq: Int = 0, timeout: Duration = .seconds(2)
    ) async throws -> [ECSSEmulator.Exchange] {
        try await emulator.waitForExchanges(filter, count: count, since: seq, timeout: timeout)
    }

    /// ``ECSSEmulator/count(of:since:)`` of the running emulator.
    public func count(of filter: ECSSEmulator.ExchangeFilter, since seq: Int = 0) -> Int {
        emulator.count(of: filter, since: seq)
    }
}
