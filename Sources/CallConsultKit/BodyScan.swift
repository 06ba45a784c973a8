#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A linear pass over the raw body before libxml2 parses it.
///
/// It refuses, cheaply and before any parsing, what libxml2 2.9 would otherwise spend
/// super-linear time on or what the XML specification forbids outright:
/// - a start tag with more attributes than ``DecodingLimits/maxAttributesPerElement`` (libxml2
///   checks attribute names for duplicates pairwise, so their number must stay small);
/// - UTF-16 without a byte order mark (XML 1.0, 4.3.3) and UCS-4, which CallConsultKit does not
///   accept.
///
/// The count of attributes is an upper bound: every `=` outside quotes inside a `<…>` that is
/// not a comment, processing instruction or declaration. The exact count is checked again
/// while parsing.
struct BodyScan {
    /// How the body's code units are laid out, from its first bytes (XML 1.0, appendix F).
    enum Layout: Equatable {
        case bytes
        case utf16BigEndian
        case utf16LittleEndian
    }

    static func layout(of body: UnsafeRawBufferPointer) -> Result<Layout, DocumentError> {
        // The usual case first: a first byte that starts none of the patterns below, and a second
        // that is no NUL.
        if body.count >= 2, body[0] != 0x00, body[0] < 0xFE, body[1] != 0x00 { return .success(.bytes) }
        func byte(_ index: Int) -> UInt8 { index < body.count ? body[index] : 0xFF }
        switch (byte(0), byte(1), byte(2), byte(3)) {
        case (0x00, 0x00, 0xFE, 0xFF), (0xFF, 0xFE, 0x00, 0x00),
            (0x00, 0x00, 0x00, 0x3C), (0x3C, 0x00, 0x00, 0x00), (0x00, 0x00, 0x3C, 0x00), (0x00, 0x3C, 0x00, 0x00):
            return .failure(
                refusal(
                    .refusedByPolicy,
                    "the body looks like UCS-4 (UTF-32), which is not accepted; send UTF-8, or UTF-16 with a byte order mark"))
        case (0xFE, 0xFF, _, _): return .success(.utf16BigEndian)
        case (0xFF, 0xFE, _, _): return .success(.utf16LittleEndian)
        case (0x00, _, _, _), (_, 0x00, _, _):
            return .failure(
                refusal(
                    .notWellFormed,
                    "the body starts with a NUL byte: UTF-16 without a byte order mark (XML 1.0 requires one, section 4.3.3) or not XML at all"
                ))
        default: return .success(.bytes)
        }
    }

    /// Refuses a body whose start tags carry more attributes than `limit`.
    static func check(_ body: UnsafeRawBufferPointer, limit: Int) -> DocumentError? {
        let layout = layout(of: body)
        // One attribute takes at least five bytes (` a=""`): a shorter body cannot go over the
        // limit, and the parser checks the exact count anyway.
        if case .success = layout, body.count < 5 * (limit + 1) { return nil }
        switch layout {
        case .failure(let error): return error
        case .success(.bytes): return countAttributes(bytes: body, limit: limit)
        case .success(.utf16BigEndian):
            return countAttributes(body, limit: limit, width: 2) { body[$0] == 0 ? body[$0 + 1] : 0xFF }
        case .success(.utf16LittleEndian):
            return countAttributes(body, limit: limit, width: 2) { body[$0 + 1] == 0 ? body[$0] : 0xFF }
        }
    }

    /// The byte-oriented scan: the same states as the general one, jumping with `memchr` over
    /// text and quoted values, where nothing counts.
    private static func countAttributes(bytes body: UnsafeRawBufferPointer, limit: Int) -> DocumentError? {
        guard let base = body.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let end = base + body.count
        var cursor = base
        /// The next `byte` at or after `cursor`, or `end`.
        func next(_ byte: UInt8, from cursor: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
            guard cursor < end, let found = memchr(cursor, Int32(byte), end - cursor) else { return end }
            return UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
        }
        while true {
            cursor = next(UInt8(ascii: "<"), from: cursor)
            guard cursor < end else { return nil }
            let tagStart = cursor
            cursor += 1
            if cursor < end, cursor.pointee == UInt8(ascii: "!") || cursor.pointee == UInt8(ascii: "?") {
                cursor = next(UInt8(ascii: ">"), from: cursor)
                continue
            }
            var equals = 0
            tag: while cursor < end {
                switch cursor.pointee {
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    cursor = next(cursor.pointee, from: cursor + 1)
                case UInt8(ascii: "="):
                    equals += 1
                    if equals > limit {
                        let line =
                            1 + UnsafeBufferPointer(start: base, count: tagStart - base).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                        return refusal(
                            .refusedByPolicy,
                            "a start tag on line \(line) carries more than \(limit) attributes (DecodingLimits.maxAttributesPerElement)",
                            line: line)
                    }
                case UInt8(ascii: ">"), UInt8(ascii: "<"):
                    break tag
                default:
                    break
                }
                cursor += 1
            }
        }
    }

    private static func countAttributes(
        _ body: UnsafeRawBufferPointer, limit: Int, width: Int, at unit: (Int) -> UInt8
    ) -> DocumentError? {
        enum State {
            case text, tag, markup
            case quoted(UInt8)
        }
        var state = State.text
        var equals = 0
        var line = 1
        var tagLine = 1
        var index = 0
        let end = body.count - (width - 1)
        while index < end {
            let c = unit(index)
            if c == UInt8(ascii: "\n") { line += 1 }
            switch state {
            case .text:
                if c == UInt8(ascii: "<") {
                    let next = index + width < end ? unit(index + width) : 0
                    state = next == UInt8(ascii: "!") || next == UInt8(ascii: "?") ? .markup : .tag
                    equals = 0
                    tagLine = line
                }
            case .markup:
                if c == UInt8(ascii: ">") { state = .text }
            case .tag:
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                    state = .quoted(c)
                } else if c == UInt8(ascii: "=") {
                    equals += 1
                    if equals > limit {
                        return refusal(
                            .refusedByPolicy,
                            "a start tag on line \(tagLine) carries more than \(limit) attributes (DecodingLimits.maxAttributesPerElement)",
                            line: tagLine)
                    }
                } else if c == UInt8(ascii: ">") {
                    state = .text
                }
            case .quoted(let quote):
                if c == quote { state = .tag }
            }
            index += width
        }
        return nil
    }

    private static func refusal(_ kind: DocumentError.Kind, _ message: String, line: Int = 1) -> DocumentError {
        DocumentError(
            kind: kind,
            issues: [
                .init(
                    line: line, column: 0, element: nil, message: message, domain: kind == .notWellFormed ? .syntax : .policy,
                    code: 0)
            ])
    }
}
