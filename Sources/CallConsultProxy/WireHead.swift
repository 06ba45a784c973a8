import NIOCore
import NIOHTTP1

/// An HTTP/1.x message head written as the bytes that go on the wire: the proxy serializes each
/// message it sends, head and body, into one buffer and writes it once, instead of passing its
/// parts one by one through NIO's encoders. Every name and value written was parsed by NIO's
/// decoder (which refuses CR, LF and NUL in them) or is the proxy's own.
struct WireHead {
    private var bytes: [UInt8] = []

    /// An empty head with room for about `fields` fields.
    init(fields: Int) {
        bytes.reserveCapacity(128 + 48 * fields)
    }

    /// Appends `text`.
    mutating func append(_ text: String) {
        // A copy of the contiguous bytes (which every native string has) at once; the view's
        // elements one by one otherwise.
        let appended: Void? = text.utf8.withContiguousStorageIfAvailable { bytes.append(contentsOf: $0) }
        if appended == nil { bytes.append(contentsOf: text.utf8) }
    }

    /// Appends `text`.
    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends `name: value` and CRLF.
    mutating func appendField(_ name: String, _ value: String) {
        append(name)
        append(": ")
        append(value)
        append("\r\n")
    }

    /// Appends `name: value` and CRLF.
    mutating func appendField(_ name: StaticString, _ value: String) {
        append(name)
        append(": ")
        append(value)
        append("\r\n")
    }

    /// Appends `HTTP/1.1 200 OK` (the version and status given) and CRLF.
    mutating func appendStatusLine(version: HTTPVersion, status: HTTPResponseStatus) {
        appendVersion(version)
        append(" ")
        append(String(status.code))
        append(" ")
        append(status.reasonPhrase)
        append("\r\n")
    }

    /// Appends `HTTP/1.1` (the version given).
    mutating func appendVersion(_ version: HTTPVersion) {
        switch (version.major, version.minor) {
        case (1, 1): append("HTTP/1.1")
        case (1, 0): append("HTTP/1.0")
        default: append("HTTP/\(version.major).\(version.minor)")
        }
    }

    /// The head, its empty line, then `body`: the whole message in one buffer.
    func message(body: ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer {
        var message = allocator.buffer(capacity: bytes.count + 2 + body.readableBytes)
        message.writeBytes(bytes)
        message.writeStaticString("\r\n")
        var body = body
        message.writeBuffer(&body)
        return message
    }

    /// `100 Continue` in `version`: the client may send its body.
    static func proceed(_ version: HTTPVersion, allocator: ByteBufferAllocator) -> ByteBuffer {
        var wire = WireHead(fields: 0)
        wire.appendStatusLine(version: version, status: .continue)
        return wire.message(body: ByteBuffer(), allocator: allocator)
    }

    /// The proxy's 400 to a request that could not be parsed, in `version`: `reason` in plain
    /// text, and `Connection: close`.
    static func unreadable(_ reason: String, version: HTTPVersion, allocator: ByteBufferAllocator) -> ByteBuffer {
        let text = "the request could not be read: \(reason)\n"
        var wire = WireHead(fields: 3)
        wire.appendStatusLine(version: version, status: .badRequest)
        wire.appendField("Content-Type", "text/plain; charset=utf-8")
        wire.appendField("Content-Length", String(text.utf8.count))
        wire.appendField("Connection", "close")
        return wire.message(body: ByteBuffer(string: text), allocator: allocator)
    }
}
