/// The bytes of the attribute values captures keep while one document is decoded, owned by the
/// engine and emptied when the decode ends (see ``PendingValue``).
///
/// Ownership: the store owns its buffer and frees it in `deinit`; its engine owns the store, and a
/// ``PendingValue`` refers to it without a reference count. That is safe because a capture is made,
/// driven and taken inside one `EnginePool.withEngine` body (``MessageCapture/take()``), before its
/// engine parses again or is retired. Each emptying starts a new ``generation``, so a value kept
/// before it is never read (``PendingValue/take()`` gives `nil`). It belongs to the engine's
/// thread, like the engine (it skips the runtime's exclusivity checks). A capture that holds a
/// secret keeps strings, never pending values: the store's bytes are reused, not cleared.
final class ValueStore {
    /// The room a store starts with, and keeps when it is emptied.
    static let keptCapacity = 1_024

    @exclusivity(unchecked) private var storage: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private(set) var capacity: Int
    /// How many bytes the store holds now.
    @exclusivity(unchecked) private(set) var count = 0
    /// Counts the emptyings: a ``PendingValue`` of an earlier generation is not in the store.
    @exclusivity(unchecked) private(set) var generation = 0

    init() {
        capacity = Self.keptCapacity
        storage = .allocate(capacity: capacity)
    }

    deinit {
        storage.deallocate()
    }

    /// Copies `bytes` in and returns where they start; the room doubles when they do not fit.
    @inline(__always)
    func keep(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let offset = count
        if bytes.count > capacity - offset { grow(toHold: offset + bytes.count) }
        if let source = bytes.baseAddress { (storage + offset).initialize(from: source, count: bytes.count) }
        count = offset + bytes.count
        return offset
    }

    /// The `length` bytes kept at `offset` in this generation (UTF-8 checked by the parser), as a
    /// `String`; `nil` when they are not all in the store.
    func string(at offset: Int, count length: Int) -> String? {
        guard offset >= 0, length >= 0, length <= count - offset else { return nil }
        return String(decoding: UnsafeBufferPointer(start: storage + offset, count: length), as: UTF8.self)
    }

    /// Forgets every value (a new generation), and gives back the room a document with long
    /// values took.
    func removeAll() {
        guard count > 0 else { return }
        count = 0
        generation &+= 1
        guard capacity > Self.keptCapacity else { return }
        storage.deallocate()
        capacity = Self.keptCapacity
        storage = .allocate(capacity: capacity)
    }

    private func grow(toHold needed: Int) {
        var grown = capacity * 2
        while grown < needed { grown *= 2 }
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        larger.initialize(from: storage, count: count)
        storage.deallocate()
        storage = larger
        capacity = grown
    }
}
