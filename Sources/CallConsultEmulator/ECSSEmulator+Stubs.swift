@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSEmulator {
    /// Registers a stub (newest first among those that match) and returns its id. Safe from
    /// any task, before or while the emulator runs; the admin API registers through the same
    /// store.
    /// - Throws: ``StubError`` naming the field when the emulator could not carry the stub out:
    ///   an answer on `login`, an error reply the codec cannot encode valid against the command's
    ///   schema, `reset_before_body` with `match`, an `http` fault without a status, a `match`
    ///   key the command does not have, …
    @discardableResult
    public func addStub(_ stub: Stub) throws(StubError) -> String {
        try stubStore.add(stub)
    }

    /// Removes the stub `id`; `false` when there is none (it expired, or never was).
    @discardableResult
    public func removeStub(id: String) -> Bool {
        stubStore.remove(id: id)
    }

    /// Removes every stub; scenarios keep their states.
    public func removeAllStubs() {
        stubStore.removeAll()
    }

    /// Every registered stub, oldest first, with how many more requests each applies to.
    public var stubs: [RegisteredStub] { stubStore.all }

    /// Every scenario a stub named, and the state it is in (``startedState`` at first).
    public var scenarios: [String: String] { stubStore.scenarios }

    /// Every scenario back to ``startedState``.
    public func resetScenarios() {
        stubStore.resetScenarios()
    }

    /// The exchanges numbered after `seq` (``Exchange/seq``), oldest first.
    public func exchanges(since seq: Int) -> [Exchange] {
        log.after(seq)
    }

    /// Forgets every recorded exchange; numbering goes on.
    public func removeAllExchanges() {
        log.removeAll()
    }

    /// Back to the start: no stub, no exchange, no scenario, no session.
    public func reset() {
        stubStore.reset()
        log.removeAll()
        sessions.removeAll()
    }
}
