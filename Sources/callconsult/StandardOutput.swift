import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's standard output and standard error, written with `write(2)` so that every
/// failure is seen: every subcommand prints through here, never with `print` or `FileHandle`
/// (whose `write(_:)` traps when the descriptor is closed).
///
/// A failed write to standard output (closed descriptor, full disk, a reader that went away)
/// throws ``WriteError``; ``CallConsultCommand/runMain()`` reports it on standard error and exits
/// with ``WriteError/exitStatus``. Writes to standard error are best effort: there is nowhere
/// left to report their failure.
///
/// Each call writes its bytes under its descriptor's lock, so lines written by concurrent tasks
/// never interleave.
enum StandardOutput {
    /// Standard output could not be written.
    struct WriteError: Error, CustomStringConvertible {
        /// The system's reason, e.g. "No space left on device" or "Broken pipe".
        var reason: String

        /// 74, `EX_IOERR` of `sysexits.h`: kept apart from 0, 1 and 2 so that a script can tell
        /// "an input is invalid" from "the answer was lost".
        static let exitStatus: Int32 = 74

        /// `cannot write to standard output: <reason>`.
        var description: String { "cannot write to standard output: \(reason)" }
    }

    /// One lock per descriptor: a write to standard output blocked on a full pipe must not
    /// keep standard error from being written.
    private static let outputLock = NSLock()
    private static let errorLock = NSLock()

    /// Prepares the process's descriptors; call once, first thing in `main`.
    ///
    /// - `SIGPIPE` is ignored, so that writing to a pipe whose reader has gone away fails with
    ///   `EPIPE` and is reported like any other write failure, instead of killing the process
    ///   without a word.
    /// - A standard descriptor (0, 1, 2) that was closed when the process started is taken by
    ///   `/dev/null` opened the other way round (standard input write-only, the others
    ///   read-only): reading or writing it still fails with `EBADF`, as on a closed descriptor,
    ///   but no file or socket opened later can land on it and receive the output.
    static func prepareProcess() {
        _ = signal(SIGPIPE, SIG_IGN)
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) == -1 {
            let placeholder = open("/dev/null", descriptor == STDIN_FILENO ? O_WRONLY : O_RDONLY)
            if placeholder >= 0, placeholder != descriptor {
                _ = dup2(placeholder, descriptor)
                _ = close(placeholder)
            }
        }
    }

    /// Writes `line` and a newline to standard output.
    static func writeLine(_ line: String) throws(WriteError) {
        try write(Array((line + "\n").utf8))
    }

    /// Writes `bytes` to standard output, whole.
    static func write(_ bytes: [UInt8]) throws(WriteError) {
        if let errorNumber = writeAll(bytes, to: STDOUT_FILENO) {
            throw WriteError(reason: String(cString: strerror(errorNumber)))
        }
    }

    /// Writes `text` and a newline to standard error; a failure is ignored.
    static func writeToStandardError(_ text: String) {
        _ = writeAll(Array((text + "\n").utf8), to: STDERR_FILENO)
    }

    /// Writes every byte, retrying after interruptions and short writes and waiting when the
    /// descriptor is non-blocking and full; returns the `errno` of a failure, or `nil`.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
        let lock = descriptor == STDERR_FILENO ? errorLock : outputLock
        lock.lock()
        defer { lock.unlock() }
        return bytes.withUnsafeBytes { buffer -> Int32? in
            var offset = 0
            while offset < buffer.count {
                let (written, errorNumber) = writeOnce(descriptor, buffer, from: offset)
                if written > 0 {
                    offset += written
                } else if written == 0 {
                    return EIO
                } else if errorNumber == EAGAIN || errorNumber == EWOULDBLOCK {
                    var waiting = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&waiting, 1, -1)
                } else if errorNumber != EINTR {
                    return errorNumber
                }
            }
            return nil
        }
    }

    /// One `write(2)`, with `errno` read before anything else can change it.
    @inline(never)
    private static func writeOnce(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer, from offset: Int) -> (Int, Int32) {
        let start = buffer.baseAddress.map { $0 + offset }
        #if canImport(Glibc)
        let written = Glibc.write(descriptor, start, buffer.count - offset)
        #elseif canImport(Musl)
        let written = Musl.write(descriptor, start, buffer.count - offset)
        #else
        let written = Darwin.write(descriptor, start, buffer.count - offset)
        #endif
        return (written, written < 0 ? errno : 0)
    }
}
