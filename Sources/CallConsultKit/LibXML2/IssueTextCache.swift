#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The texts of the issues an engine reported most recently (messages and element names), so that
/// a document that repeats a mistake the engine has already reported gets the same `String`
/// storage back rather than a new copy to allocate, validate as UTF-8 and free again.
///
/// A client that sends one invalid request sends it again: a service meets the same few messages
/// over and over. The cache is keyed by the bytes as libxml2 gives them (a message with its line
/// break, a name), so a repeated message is found with one `memcmp` and none of the work that
/// makes its text (``String/init(libxml2Message:)``) is done again. The text kept for a key is a
/// function of the key alone: names hold no white space, and a message with none is its own text,
/// so messages and names share the slots.
///
/// It holds at most ``capacity`` texts whose keys are at most ``maxBytes`` bytes, with a copy of
/// each key to compare with, and replaces them in turn, so a stream of distinct messages costs one
/// comparison of lengths per entry and a copy of each new key. The slot after the one found last
/// is tried first: a repeated document asks for its texts in the order it asked the first time.
/// It belongs to one engine, hence to one thread (like the engine, it skips the runtime's
/// exclusivity checks); it is never used for a document that holds a secret, so no text of such a
/// document outlives its parse here. Ownership: it owns its byte store and frees it in `deinit`.
final class IssueTextCache {
    /// How many texts are kept.
    static let capacity = 8
    /// The longest key kept, in bytes.
    static let maxBytes = 240

    /// `capacity` slots of `maxBytes` bytes: the key of each kept text.
    private let store: UnsafeMutablePointer<UInt8>
    /// The length of the key in each slot; -1 for an empty slot.
    private let lengths: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private var texts: [String]
    /// The slot the next new text replaces.
    @exclusivity(unchecked) private var next = 0
    /// The slot tried first: the one after the slot found last.
    @exclusivity(unchecked) private var expected = 0

    init() {
        store = .allocate(capacity: Self.capacity * Self.maxBytes)
        lengths = .allocate(capacity: Self.capacity)
        lengths.initialize(repeating: -1, count: Self.capacity)
        texts = Array(repeating: "", count: Self.capacity)
    }

    deinit {
        store.deallocate()
        lengths.deallocate()
    }

    /// `bytes` (UTF-8, no white space: an element name) as a `String`: a kept one with the same
    /// bytes, or a new one, then kept.
    func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        text(forKey: bytes) { String(decoding: $0, as: UTF8.self) }
    }

    /// libxml2's `message` on one line (``String/init(libxml2Message:)``): a kept one where
    /// libxml2 gave the same bytes before, or a new one, then kept.
    func message(_ message: UnsafePointer<CChar>) -> String {
        let count = strlen(message)
        return message.withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
            text(forKey: UnsafeBufferPointer(start: bytes, count: count)) { _ in String(libxml2Message: message) }
        }
    }

    /// The text kept for `key`, or `make(key)`, then kept. `make` must give the same text for the
    /// same bytes, and a name (no white space) must be its own text (see the type's documentation).
    @inline(__always)
    private func text(forKey key: UnsafeBufferPointer<UInt8>, make: (UnsafeBufferPointer<UInt8>) -> String) -> String {
        let count = key.count
        guard count <= Self.maxBytes, let base = key.baseAddress else { return make(key) }
        // The slot after the one found last, then the others.
        var slot = expected
        if lengths[slot] != count || memcmp(store + slot * Self.maxBytes, base, count) != 0 {
            slot = 0
            while slot < Self.capacity {
                if slot != expected, lengths[slot] == count, memcmp(store + slot * Self.maxBytes, base, count) == 0 { break }
                slot += 1
            }
        }
        if slot < Self.capacity {
            expected = slot + 1 == Self.capacity ? 0 : slot + 1
            return texts[slot]
        }
        let made = make(key)
        (store + next * Self.maxBytes).update(from: base, count: count)
        lengths[next] = count
        texts[next] = made
        next = next + 1 == Self.capacity ? 0 : next + 1
        expected = next
        return made
    }
}
