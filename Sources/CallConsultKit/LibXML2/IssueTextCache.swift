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
/// over and over. The cache holds at most ``capacity`` texts of at most ``maxBytes`` bytes each,
/// with a copy of their bytes to compare with, and replaces them in turn, so a stream of distinct
/// messages costs one comparison of lengths per entry and a copy of each new text. It belongs to
/// one engine, hence to one thread (like the engine, it skips the runtime's exclusivity checks);
/// it is never used for a document that holds a secret, so no text of such a document outlives
/// its parse here. Ownership: it owns its byte store and frees it in `deinit`.
final class IssueTextCache {
    /// How many texts are kept.
    static let capacity = 8
    /// The longest text kept, in bytes.
    static let maxBytes = 240

    /// `capacity` slots of `maxBytes` bytes: the bytes of each kept text.
    private let store: UnsafeMutablePointer<UInt8>
    /// The length of the text in each slot; -1 for an empty slot.
    private let lengths: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private var texts: [String]
    @exclusivity(unchecked) private var next = 0

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

    /// `bytes` (UTF-8) as a `String`: a kept one with the same bytes, or a new one, then kept.
    func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let count = bytes.count
        guard count <= Self.maxBytes, let base = bytes.baseAddress else {
            return String(decoding: bytes, as: UTF8.self)
        }
        for slot in 0..<Self.capacity where lengths[slot] == count {
            if memcmp(store + slot * Self.maxBytes, base, count) == 0 { return texts[slot] }
        }
        let made = String(decoding: bytes, as: UTF8.self)
        (store + next * Self.maxBytes).update(from: base, count: count)
        lengths[next] = count
        texts[next] = made
        next = next + 1 == Self.capacity ? 0 : next + 1
        return made
    }
}
