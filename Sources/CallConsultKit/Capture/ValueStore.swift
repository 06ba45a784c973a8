/// The bytes of the attribute values captures keep while one document is parsed, owned by the
/// engine and emptied before the next one (see ``PendingValue``).
///
/// Ownership: the store owns its buffer and frees it in `deinit`; its engine owns the store, and
/// a ``PendingValue`` refers to it without a reference count, which is safe because a capture lives
/// only for the length of one parse by that engine (``MessageCapture``). It belongs to the
/// engine's thread, like the engine (it skips the runtime's exclusivity checks).
final class ValueStore {
    /// The room a store starts with, and keeps when it is emptied.
    static let keptCapacity = 1_024

    @exclusivity(unchecked) private var storage: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private var used = 0

    init() {
        capacity = Self.keptCapacity
        storage = .allocate(capacity: capacity)
    }

    deinit {
        storage.deallocate()
    }

    /// How many bytes the store holds now.
    var count: Int { used }

    /// Copies `bytes` in and returns where they start; the room doubles when they do not fit.
    @inline(__always)
    func keep(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let offset = used
        if bytes.count > capacity - offset { grow(toHold: offset + bytes.count) }
        if let source = bytes.baseAddress { (storage + offset).update(from: source, count: bytes.count) }
        used = offset + bytes.count
        return offset
    }

    /// The `count` bytes kept at `offset` (UTF-8 checked by the parser), as a `String`.
    func string(at offset: Int, count: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: storage + offset, count: count), as: UTF8.self)
    }

    /// Forgets every value, and gives back the room a document with long values took.
    func removeAll() {
        used = 0
        guard capacity > Self.keptCapacity else { return }
        storage.deallocate()
        capacity = Self.keptCapacity
        storage = .allocate(capacity: capacity)
    }

    private func grow(toHold needed: Int) {
        var grown = capacity
        while grown < needed { grown *= 2 }
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        larger.update(from: storage, count: used)
        storage.deallocate()
        storage = larger
        capacity = grown
    }
}
