/// An attribute value a capture keeps while its document is parsed: its bytes are copied into the
/// engine's ``ValueStore`` and become a `String` only in ``take()``, which a capture calls only for
/// a valid document.
///
/// A capture sees a value before the validator has looked at its element, so with values made
/// strings at once a refused request paid for strings nobody would read: the UTF-8 check of each,
/// and the allocation and free of any over 15 bytes (about 500 instructions on the benchmark's
/// invalid `call_consult` request, whose two kept values include a 16-byte `conversation_id`). A
/// pending value holds no reference count, so a capture made of them has nothing to destroy.
struct PendingValue {
    /// The engine's store, unretained; `nil` while no value is kept.
    private var store: Unmanaged<ValueStore>?
    private var generation = 0
    private var offset = 0
    private var count = 0

    init() {}

    /// Keeps `bytes` (UTF-8 as libxml2 reports it) in `store`, in place of any value kept before.
    @inline(__always)
    mutating func keep(_ bytes: UnsafeBufferPointer<UInt8>, in store: Unmanaged<ValueStore>) {
        store._withUnsafeGuaranteedRef { store in
            offset = store.keep(bytes)
            generation = store.generation
        }
        count = bytes.count
        self.store = store
    }

    /// The value kept, as a `String`, or `nil` when none was, or when the store has been emptied
    /// since (a capture taken after its decode ended: see ``MessageCapture/take()``); afterwards
    /// none is.
    mutating func take() -> String? {
        guard let store else { return nil }
        self.store = nil
        return store._withUnsafeGuaranteedRef { [generation, offset, count] store in
            store.generation == generation ? store.string(at: offset, count: count) : nil
        }
    }
}
