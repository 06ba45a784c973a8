import ArgumentParser
import CallConsultEmulator
import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `proxy --record FILE`: appends one stub a line, as `POST /__admin/stubs` and `serve --stubs`
/// take it, each written whole with one `write(2)` on a descriptor opened for appending.
final class StubRecorder: Sendable {
    private let path: String
    private let descriptor: NIOLockedValueBox<Int32>

    /// Opens (creates) `path` for appending; a usage error when it cannot be.
    init(path: String) throws {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ValidationError("--record: cannot open '\(path)': \(String(cString: strerror(errno)))")
        }
        self.path = path
        self.descriptor = NIOLockedValueBox(descriptor)
    }

    deinit {
        descriptor.withLockedValue { if $0 >= 0 { close($0) } }
    }

    /// The stub's JSON line, keys sorted.
    static func line(_ stub: ECSSEmulator.Stub) -> [UInt8]? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(stub) else { return nil }
        return Array(data) + [UInt8(ascii: "\n")]
    }

    /// Appends the stub; the failure to report (exit 74) when the file cannot be written.
    func append(_ stub: ECSSEmulator.Stub) -> StandardOutput.WriteError? {
        guard let bytes = Self.line(stub) else { return nil }
        return descriptor.withLockedValue { descriptor -> StandardOutput.WriteError? in
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written != bytes.count else { return nil }
            let reason = written < 0 ? String(cString: strerror(errno)) : "short write"
            StandardOutput.writeToStandardError("proxy: cannot write --record '\(path)': \(reason)")
            return StandardOutput.WriteError(reason: "--record: \(reason)")
        }
    }
}
