import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain TCP connection to 127.0.0.1, for the HTTP a client library would never send: every
/// read waits at most `timeout`, writes never raise `SIGPIPE`. Bytes read past one answer are kept
/// for the next read. Every call blocks its thread: run it off the concurrency pool (``blocking(_:)``).
public final class RawConnection {
    private let descriptor: Int32

    /// Connects to `port` on 127.0.0.1.
    public init(port: Int, timeout: Duration = .seconds(5)) throws {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw Self.socketError(errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let error = errno
            close(descriptor)
            throw Self.socketError(error)
        }
        let (seconds, attoseconds) = timeout.components
        var limit = timeval(tv_sec: Int(seconds), tv_usec: suseconds_t(attoseconds / 1_000_000_000_000))
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        self.descriptor = descriptor
    }

    private var isOpen = true
    /// Bytes received and not yet returned by a read.
    private var received: [UInt8] = []

    deinit { if isOpen { close(descriptor) } }

    /// Closes the connection with a reset (`SO_LINGER` 0): the server sees `ECONNRESET`.
    public func reset() {
        guard isOpen else { return }
        isOpen = false
        var linger = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
        close(descriptor)
    }

    private static func socketError(_ code: Int32) -> NSError {
        NSError(domain: NSPOSIXErrorDomain, code: Int(code))
    }

    /// Writes every byte; `false` when the server closed the connection (or the write timed out).
    @discardableResult
    public func send(_ text: String) -> Bool {
        send(Array(text.utf8))
    }

    /// Writes every byte; `false` when the server closed the connection (or the write timed out).
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return true }
            var offset = 0
            while offset < buffer.count {
                #if canImport(Glibc)
                let written = Glibc.send(descriptor, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                #else
                let written = Darwin.send(descriptor, base + offset, buffer.count - offset, 0)
                #endif
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    return false
                }
            }
            return true
        }
    }

    /// Reads one HTTP answer: its status and body (`Content-Length` bytes, none without one), or
    /// `nil` when the connection closed (or went silent for the timeout) before a whole answer came.
    public func readAnswer() -> (status: Int, body: String)? {
        readMessage().map { ($0.status, $0.text) }
    }

    /// Reads exactly one HTTP answer: its status line, fields and `Content-Length` bytes of body
    /// (none without one, nor when `bodyless`, as the answer to a `HEAD`); `nil` when the
    /// connection closed (or went silent for the timeout) before a whole answer came. Bytes after
    /// it stay for the next read.
    public func readMessage(bodyless: Bool = false) -> RawMessage? {
        while true {
            if let end = headEnd(received) {
                let lines = String(decoding: received[..<end], as: UTF8.self).components(separatedBy: "\r\n")
                let fields = lines.dropFirst().map { line -> (name: String, value: String) in
                    let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                    let value = parts.count == 2 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
                    return (String(parts.first ?? ""), value)
                }
                let length =
                    bodyless ? 0 : fields.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
                if received.count >= end + 4 + length {
                    let message = RawMessage(
                        statusLine: lines[0], fields: fields, body: Array(received[(end + 4)..<(end + 4 + length)]))
                    received.removeFirst(end + 4 + length)
                    return message
                }
            }
            guard receive() else { return nil }
        }
    }

    /// Reads until exactly `count` bytes came (or fewer, when the connection closed or went
    /// silent for the timeout first), and returns them; bytes after them stay for the next read.
    public func read(count: Int) -> [UInt8] {
        while received.count < count, receive() {}
        let bytes = Array(received.prefix(count))
        received.removeFirst(bytes.count)
        return bytes
    }

    /// Reads into ``received`` once; `false` when the connection closed, was reset or went silent.
    private func receive() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count > 0 {
                received += chunk[..<count]
                return true
            } else if count < 0, errno == EINTR {
                continue
            }
            return false
        }
    }

    /// Whether the server closes the connection (or resets it) within the timeout, reading and
    /// dropping whatever it sends first.
    public func isClosedByServer() -> Bool {
        received = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count == 0 { return true }
            if count < 0 {
                if errno == EINTR { continue }
                return errno == ECONNRESET
            }
        }
    }

    /// Every byte the server sends until it closes the connection (or resets it, or goes silent
    /// for the timeout), and whether it was reset.
    /// Bytes kept from an earlier read come first.
    public func readUntilClosed() -> (bytes: [UInt8], reset: Bool) {
        var bytes = received
        received = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count > 0 {
                bytes += chunk[..<count]
            } else if count < 0, errno == EINTR {
                continue
            } else {
                return (bytes, count < 0 && errno == ECONNRESET)
            }
        }
    }

    private func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }
}
