import CLibXML2

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ParseEngine {
    /// Records an error libxml2 reports (parser or schema validator) as an issue.
    func record(_ error: UnsafePointer<xmlError>) {
        guard refusal == nil, error.pointee.level != XML_ERR_WARNING else { return }
        if error.pointee.domain == Int32(XML_FROM_SCHEMASV.rawValue) {
            recordSchemaIssue(error)
        } else {
            recordSyntaxIssue(error)
        }
    }

    private func recordSchemaIssue(_ error: UnsafePointer<xmlError>) {
        schemaIssueCount += 1
        guard schemaIssues.hasRoom else { return }
        let message = error.pointee.message.map { issueMessage($0) } ?? "unknown error"
        let concerned = elementConcerned(by: error)
        let position = concerned.map { tagPosition(at: $0) } ?? inputPosition()
        schemaIssues.append(
            line: position.line, column: position.column, element: concerned.map { elementName(openElements[$0].name) },
            message: message, domain: .schema, code: Int(error.pointee.code))
    }

    private func recordSyntaxIssue(_ error: UnsafePointer<xmlError>) {
        defer { if error.pointee.level == XML_ERR_FATAL { sawFatalSyntaxError = true } }
        guard syntaxIssues.hasRoom else { return }
        let made = error.pointee.message.map { issueMessage($0) } ?? "unknown error"
        let message = holdsSecret ? Self.withoutQuotedText(made) : made
        let position =
            error.pointee.line > 0 ? (line: Int(error.pointee.line), column: Int(error.pointee.int2)) : inputPosition()
        // Once libxml2 has met a fatal error it sends no more events, so the open elements
        // are only known up to the first one.
        let element = sawFatalSyntaxError ? nil : innermost
        syntaxIssues.append(
            line: position.line, column: position.column, element: element.map { elementName(openElements[$0].name) },
            message: message, domain: .syntax, code: Int(error.pointee.code))
    }

    /// A parser message that quotes nothing of the document: libxml2 quotes bytes that are not
    /// proper UTF-8 (`Bytes: 0xF0 …`) and names (an undefined entity's, say) that may come from an
    /// attribute value, so for a document holding a secret the bytes are dropped and each quoted
    /// part becomes `'…'`.
    static func withoutQuotedText(_ message: String) -> String {
        var bytes = Array(message.utf8)
        if let cut = bytes.indices.first(where: { bytes[$0...].starts(with: " Bytes:".utf8) }) {
            bytes.removeSubrange(cut...)
        }
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        var quoteStart: Int?
        for byte in bytes {
            if byte == UInt8(ascii: "'") {
                if quoteStart != nil {
                    kept.append(contentsOf: "…'".utf8)
                    quoteStart = nil
                } else {
                    kept.append(byte)
                    quoteStart = kept.count
                }
            } else if quoteStart == nil {
                kept.append(byte)
            }
        }
        return String(decoding: kept, as: UTF8.self)
    }

    /// The element a schema error is about: the one its message names (`Element 'name': …`),
    /// among those the validator can be at: the element just closed, the innermost open one or,
    /// for errors about content, its parent.
    private func elementConcerned(by error: UnsafePointer<xmlError>) -> Int? {
        let fallback = lastClosed ?? innermost
        guard let message = error.pointee.message, let named = Self.elementNamed(in: message) else { return fallback }
        if let fallback, Self.matches(openElements[fallback].name, named) {
            // The usual case, unless a refused child is reported on a parent of the same name.
            if !(lastEvent == .start && Self.isReportedOnParent(error)) { return fallback }
        }
        // A child that the content model refuses is reported on its parent: look there first.
        var index = depth - (lastEvent == .start && Self.isReportedOnParent(error) ? 2 : 1)
        while index >= 0 {
            if Self.matches(openElements[index].name, named) { return index }
            index -= 1
        }
        return fallback
    }

    /// Whether libxml2's validator reports `error`, met at a start tag, on the parent element.
    private static func isReportedOnParent(_ error: UnsafePointer<xmlError>) -> Bool {
        error.pointee.code == Int32(XML_SCHEMAV_CVC_COMPLEX_TYPE_2_1.rawValue)
            || error.pointee.code == Int32(XML_SCHEMAV_CVC_COMPLEX_TYPE_2_3.rawValue)
    }

    /// Where the name in `Element 'name'` at the start of a schema message begins.
    private static func elementNamed(in message: UnsafePointer<CChar>) -> UnsafePointer<UInt8>? {
        ccx_message_element_name(message)
    }

    /// Whether `name` is the name at `named`, which ends at a `'`.
    private static func matches(_ name: UnsafePointer<xmlChar>, _ named: UnsafePointer<UInt8>) -> Bool {
        let name = UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self)
        let length = strlen(name)
        // strncmp stops at the message's end, so `named[length]` is only read within it.
        return strncmp(name, UnsafeRawPointer(named).assumingMemoryBound(to: CChar.self), length) == 0
            && named[length] == UInt8(ascii: "'")
    }

    /// libxml2's message on one line (see `String(libxml2Message:)`), from the engine's
    /// ``IssueTextCache`` where it was reported before, unless the document holds a secret.
    private func issueMessage(_ message: UnsafePointer<CChar>) -> String {
        if holdsSecret { return String(libxml2Message: message) }
        return issueTexts.message(message)
    }

    /// The name of an element as a `String`. Names are interned in the parser's dictionary, so
    /// the same pointer is the same name: issues about one element share one conversion. Across
    /// documents, names come from the engine's ``IssueTextCache``.
    func elementName(_ name: UnsafePointer<xmlChar>) -> String {
        if let cached = lastElementName, cached.pointer == name { return cached.name }
        let bytes = UnsafeBufferPointer(start: name, count: strlen(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self)))
        let converted = holdsSecret ? String(decoding: bytes, as: UTF8.self) : issueTexts.text(bytes)
        lastElementName = (name, converted)
        return converted
    }

    /// Where the parser stands now.
    func inputPosition() -> (line: Int, column: Int) {
        guard let input = parser.pointee.input else { return (0, 0) }
        return (Int(input.pointee.line), Int(input.pointee.col))
    }

    /// Where the start tag of the element at `index` in ``openElements`` is, as an issue reports
    /// it: on the line where the tag ends (the line libxml2 gives the element, and xmllint
    /// reports), at the tag's `<` when the tag begins on that line, else at its closing `>`.
    func tagPosition(at index: Int) -> (line: Int, column: Int) {
        let element = openElements[index]
        if element.startLine > 0 { return (Int(element.startLine), Int(element.startColumn)) }
        let end = (line: Int(element.line), column: Int(element.column))
        // The tag's text is still in the parser's buffer while the chunk it came in is parsed.
        guard element.chunk == chunkSerial, let cursor = element.cursor else { return end }
        let position = Self.tagStart(before: cursor, in: parser.pointee.input?.pointee.base, end: end)
        // Found once per element, however many issues concern it.
        openElements[index].startLine = Int32(clamping: position.line)
        openElements[index].startColumn = Int32(clamping: position.column)
        return position
    }

    /// Finds the `<` of the start tags of every element still open, and of the one closed last,
    /// before the parser is given the next chunk, which may move or drop the text of earlier ones.
    func keepOpenTagPositions() {
        let kept = Swift.min(storedElements, depth + 1)
        for index in 0..<kept where openElements[index].startLine == 0 {
            _ = tagPosition(at: index)
        }
    }

    /// Where the tag the parser is in, or has just read, begins (used before the root element,
    /// e.g. for a DOCTYPE).
    func cursorTagPosition() -> (line: Int, column: Int) {
        let here = inputPosition()
        guard let cursor = parser.pointee.input?.pointee.cur else { return here }
        return Self.tagStart(before: cursor, in: parser.pointee.input?.pointee.base, end: here)
    }

    /// The position of the last `<` before `cursor`, when it is on the same line as `end` (the
    /// position of `cursor`); else `end`. Attribute values cannot hold a literal `<`, so no other
    /// `<` stands between a tag's start and its end.
    private static func tagStart(
        before cursor: UnsafePointer<xmlChar>, in base: UnsafePointer<xmlChar>?, end: (line: Int, column: Int)
    ) -> (line: Int, column: Int) {
        guard let base, cursor > base,
            let open = ccx_last_byte(base, cursor - base, UInt8(ascii: "<"))
        else { return end }
        let tag = UnsafeBufferPointer(start: open + 1, count: cursor - open - 1)
        guard memchr(open, 0x0A, cursor - open) == nil else { return end }
        return (end.line, max(1, end.column - characterCount(tag) - 1))
    }

    /// How many characters the UTF-8 `bytes` hold (libxml2 counts columns in characters).
    private static func characterCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        // Mostly ASCII: look at eight bytes at a time for any byte of a multi-byte character.
        let raw = UnsafeRawBufferPointer(bytes)
        var index = 0
        var ascii = true
        // Four words at a time while they last (a tag is mostly a few dozen ASCII bytes).
        while index + 32 <= raw.count {
            let words =
                raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self)
                | raw.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self)
            if words & 0x8080_8080_8080_8080 != 0 {
                ascii = false
                break
            }
            index += 32
        }
        while ascii, index + 8 <= raw.count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
                ascii = false
                break
            }
            index += 8
        }
        if ascii {
            while index < raw.count, raw[index] < 0x80 { index += 1 }
            if index == raw.count { return raw.count }
        }
        var characters = 0
        for byte in bytes where byte & 0xC0 != 0x80 { characters &+= 1 }
        return characters
    }
}
