import Foundation
internal import Hummingbird

/// Finds the session token among a request's `Cookie` fields.
///
/// Each field value is a list of `;`-separated pairs; a pair is taken without the spaces and tabs
/// around it (Foundation's `CharacterSet.whitespaces`) and is the session's when its name before
/// the first `=` is ``ECSSEmulator/sessionCookieName``. A value of ASCII bytes (every cookie a
/// client sets) is read byte by byte; any other value goes through `Character`s and Foundation's
/// trimming, which give the same result on ASCII.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
enum SessionCookie {
    /// The value of the first session pair in the `Cookie` fields, in their order; `nil` if none.
    static func token(in fields: HTTPFields) -> String? {
        for field in fields where field.name == .cookie {
            if let token = token(inCookie: field.value) { return token }
        }
        return nil
    }

    /// The value of the first session pair in one `Cookie` field value; `nil` if none.
    static func token(inCookie value: String) -> String? {
        switch value.utf8.withContiguousStorageIfAvailable(ascii) {
        case .found(let token): token
        case .absent: nil
        case .notASCII, nil: characters(value)
        }
    }

    private enum Scan {
        case found(String)
        case absent
        case notASCII
    }

    /// The pairs of an ASCII value, byte by byte: in ASCII, `CharacterSet.whitespaces` is space and
    /// tab, and bytes compare as `Character`s do.
    private static func ascii(_ bytes: UnsafeBufferPointer<UInt8>) -> Scan {
        var union: UInt8 = 0
        for byte in bytes { union |= byte }
        guard union < 0x80 else { return .notASCII }
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: ";") { end += 1 }
            var low = start
            var high = end
            while low < high, bytes[low] == UInt8(ascii: " ") || bytes[low] == UInt8(ascii: "\t") { low += 1 }
            while high > low, bytes[high - 1] == UInt8(ascii: " ") || bytes[high - 1] == UInt8(ascii: "\t") { high -= 1 }
            let equals = low + name.count
            // The pair's first `=` is right after the name exactly when the name holds no `=`.
            if equals < high, bytes[equals] == UInt8(ascii: "="), name.withUnsafeBufferPointer({ bytes.has($0, at: low) }) {
                return .found(String(decoding: UnsafeBufferPointer(rebasing: bytes[(equals + 1)..<high]), as: UTF8.self))
            }
            start = end + 1
        }
        return .absent
    }

    /// ``ECSSEmulator/sessionCookieName``'s UTF-8, made once.
    private static let name = Array(ECSSEmulator.sessionCookieName.utf8)

    /// Any value, by `Character`s, as the emulator always read it.
    private static func characters(_ value: String) -> String? {
        for pair in value.split(separator: ";") {
            let pair = pair.trimmingCharacters(in: .whitespaces)
            if let equals = pair.firstIndex(of: "="), pair[..<equals] == ECSSEmulator.sessionCookieName {
                return String(pair[pair.index(after: equals)...])
            }
        }
        return nil
    }
}
