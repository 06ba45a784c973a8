import NIOConcurrencyHelpers
import NIOCore

/// A request body that can be read once: one `ByteBuffer`, then the end; a second iteration
/// throws ``AlreadySent`` instead of producing the bytes again.
///
/// Handed to AsyncHTTPClient as `.stream(_:length:)`, it is what keeps a command from being sent
/// twice: AsyncHTTPClient never replays a body given as an `AsyncSequence` (on a 307 or 308 it
/// returns the redirect instead of following it), and should a later version try, the second
/// iteration fails the request rather than resending the bytes.
///
/// It replaces a one-element `AsyncStream`, whose storage, continuation and locks cost more per
/// call than this: AsyncHTTPClient makes one iterator per request and calls `next()` twice (the
/// buffer, then `nil`), so the only shared state is the buffer taken out of a box once.
struct OneShotBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    /// The second iteration of a body that was already read.
    struct AlreadySent: Error, CustomStringConvertible {
        var description: String { "the request body was already sent once and is never sent again" }
    }

    private let remaining: NIOLockedValueBox<ByteBuffer?>
    /// The number of bytes, for `Content-Length`.
    let length: Int64

    /// Whether AsyncHTTPClient began to read it, which it does only after writing the request's
    /// head to a connection.
    var wasRead: Bool { remaining.withLockedValue { $0 == nil } }

    /// A body of `bytes`.
    init(_ bytes: [UInt8]) {
        remaining = NIOLockedValueBox(ByteBuffer(bytes: bytes))
        length = Int64(bytes.count)
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: remaining) }

    /// Yields the buffer once (the first iterator only), then ends.
    struct AsyncIterator: AsyncIteratorProtocol {
        fileprivate let remaining: NIOLockedValueBox<ByteBuffer?>
        private var started = false

        fileprivate init(remaining: NIOLockedValueBox<ByteBuffer?>) {
            self.remaining = remaining
        }

        mutating func next() async throws -> ByteBuffer? {
            if started { return nil }
            started = true
            let taken = remaining.withLockedValue { value -> ByteBuffer? in
                defer { value = nil }
                return value
            }
            guard let taken else { throw AlreadySent() }
            return taken
        }
    }
}
