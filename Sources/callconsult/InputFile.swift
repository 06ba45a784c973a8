import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The first bytes of one input named on the command line, read with `read(2)`.
///
/// At most `limit + 1` bytes are read: enough to tell "over the limit" from "within it" without
/// reading the rest, so that a huge file or an endless standard input (`</dev/zero`) costs no more
/// memory than the limit. Every failure of the system (a closed descriptor, a directory, no
/// permission, an I/O error, lack of memory) is returned as a ``ReadError`` with the system's
/// reason; nothing here traps.
struct InputFile {
    /// Why an input could not be read, as one line: `cannot read 'x': <reason>`.
    struct ReadError: Error {
        /// The line to report.
        var message: String
    }

    /// The input's bytes: all of them, or its first `limit + 1` when ``isOverLimit``.
    var bytes: [UInt8]
    /// Whether the input holds more than the limit (only its first `limit + 1` bytes were read).
    var isOverLimit: Bool

    /// Reads `path`, or standard input when `path` is `-`.
    /// - Parameters:
    ///   - path: A file name, or `-`.
    ///   - limit: The most bytes the caller accepts; at most one more is read.
    static func read(_ path: String, limit: Int) throws(ReadError) -> InputFile {
        if path == "-" {
            return try read(descriptor: STDIN_FILENO, named: "standard input", limit: limit)
        }
        let name = "'\(path)'"
        let (descriptor, openError) = openForReading(path)
        guard descriptor >= 0 else {
            throw ReadError(message: "cannot read \(name): \(openError == ENOENT ? "no such file" : reason(openError))")
        }
        defer { _ = close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
            throw ReadError(message: "cannot read \(name): it is a directory")
        }
        return try read(descriptor: descriptor, named: name, limit: limit)
    }

    private static func read(descriptor: Int32, named name: String, limit: Int) throws(ReadError) -> InputFile {
        let wanted = limit < Int.max ? limit + 1 : limit
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: min(wanted, 65_536))
        while bytes.count < wanted {
            let (count, errorNumber) = chunk.withUnsafeMutableBytes {
                readOnce(descriptor, into: $0, atMost: wanted - bytes.count)
            }
            if count > 0 {
                bytes.append(contentsOf: chunk[..<count])
            } else if count == 0 {
                break
            } else if errorNumber == EAGAIN || errorNumber == EWOULDBLOCK {
                var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                _ = poll(&waiting, 1, -1)
            } else if errorNumber != EINTR {
                throw ReadError(message: "cannot read \(name): \(reason(errorNumber))")
            }
        }
        return InputFile(bytes: bytes, isOverLimit: bytes.count > limit)
    }

    /// The system's words for an `errno` value, e.g. "Permission denied".
    private static func reason(_ errorNumber: Int32) -> String {
        String(cString: strerror(errorNumber))
    }

    /// One `open(2)`, with `errno` read before anything else can change it.
    @inline(never)
    private static func openForReading(_ path: String) -> (Int32, Int32) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        return (descriptor, descriptor < 0 ? errno : 0)
    }

    /// One `read(2)` of at most `limit` bytes into `buffer`, with `errno` read at once.
    @inline(never)
    private static func readOnce(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, atMost limit: Int) -> (
        Int, Int32
    ) {
        #if canImport(Glibc)
        let count = Glibc.read(descriptor, buffer.baseAddress, min(buffer.count, limit))
        #elseif canImport(Musl)
        let count = Musl.read(descriptor, buffer.baseAddress, min(buffer.count, limit))
        #else
        let count = Darwin.read(descriptor, buffer.baseAddress, min(buffer.count, limit))
        #endif
        return (count, count < 0 ? errno : 0)
    }
}
