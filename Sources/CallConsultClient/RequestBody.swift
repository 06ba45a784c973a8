import NIOConcurrencyHelpers

/// A request's bytes as the client's own `HTTPClient` gets them (`.bytes(_:length:)`), recording
/// whether AsyncHTTPClient ever read them.
///
/// AsyncHTTPClient turns a small collection into a body made only when the request's head has
/// been written to a connection (`resumeRequestBodyStream`); ``wasRead`` is then `true`. An error
/// that came while it is still `false` came before the head was handed to any connection, which
/// ``TransportFailure/happenedBeforeSending(_:bodyWasRead:)`` needs to call a failure unsent.
/// AsyncHTTPClient may read the bytes more than once (a body of bytes can be replayed), but the
/// client's own `HTTPClient` follows no redirect, so it never does.
struct RequestBody: RandomAccessCollection, Sendable {
    private let bytes: [UInt8]
    private let read: NIOLockedValueBox<Bool>

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.read = NIOLockedValueBox(false)
    }

    /// Whether AsyncHTTPClient read the bytes (it had written the head).
    var wasRead: Bool { read.withLockedValue { $0 } }

    var startIndex: Int { bytes.startIndex }
    var endIndex: Int { bytes.endIndex }
    subscript(position: Int) -> UInt8 { bytes[position] }

    func makeIterator() -> IndexingIterator<[UInt8]> {
        markRead()
        return bytes.makeIterator()
    }

    func withContiguousStorageIfAvailable<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows
        -> Result?
    {
        markRead()
        return try bytes.withUnsafeBufferPointer(body)
    }

    private func markRead() {
        read.withLockedValue { $0 = true }
    }
}
