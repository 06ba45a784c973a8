/// An attribute value a capture keeps while its document is parsed: its bytes are copied into the
/// engine's ``ValueStore`` and become a `String` only in ``take()``, which a capture calls only for
/// a valid document.
///
/// A capture sees a value before the validator has looked at its element, so with values taken as
/// strings at once a refused request paid for strings nobody would read: the allocation, the UTF-8
/// check and the free of each (about 510 instructions on an invalid `call_consult` request of
/// three attributes). A pending value holds no reference count, so a capture made of them is
/// destroyed without any work.
struct PendingValue {
    /// The engine's store, unretained; `nil` while no value is kept.
    private var store: Unmanaged<ValueStore>?
    private var offset = 0
    private var count = 0

    init() {}

    /// Keeps `bytes` (UTF-8 as libxml2 reports it) in `store`, in place of any value kept before.
    @inline(__always)
    mutating func keep(_ bytes: UnsafeBufferPointer<UInt8>, in store: Unmanaged<ValueStore>) {
        offset = store._withUnsafeGuaranteedRef { $0.keep(bytes) }
        count = bytes.count
        self.store = store
    }

    /// The value kept, as a `String`, or `nil` when none was; afterwards none is.
    mutating func take() -> String? {
        guard let store else { return nil }
        self.store = nil
        return store._withUnsafeGuaranteedRef { [offset, count] in $0.string(at: offset, count: count) }
    }
}
