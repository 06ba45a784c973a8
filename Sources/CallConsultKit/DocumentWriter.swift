/// Writes the documents CallConsultKit produces: UTF-8, with an XML declaration, attribute
/// values escaped so that any XML processor reads back exactly the value written.
///
/// A document is written in two passes over its parts: the first measures it (and finds any
/// character XML cannot carry), the second writes it into one exactly sized array.
struct DocumentWriter {
    /// One piece of a document: literal markup, or an attribute value to escape.
    enum Part {
        case markup(StaticString)
        case attribute(name: StaticString, value: String)
        /// An attribute whose name is not known at compile time (checked by the caller).
        case dynamicAttribute(name: String, value: String)
        /// A name written as it is (checked by the caller).
        case raw(String)
        /// Character data between tags, escaped like an attribute value.
        case text(String)
    }

    static let declaration: StaticString = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

    /// The document made of `parts`, after the XML declaration.
    static func write(_ parts: [Part]) throws(EncodingError) -> [UInt8] {
        var total = declaration.utf8CodeUnitCount
        for part in parts {
            switch part {
            case .markup(let text):
                total += text.utf8CodeUnitCount
            case .attribute(let name, var value):
                // ` name="…"`
                total += name.utf8CodeUnitCount + 4
                let measured = value.withUTF8 { escapedLength($0) }
                switch measured {
                case .success(let length): total += length
                case .failure(let failingByte):
                    throw encodingError(attribute: name.description, value: value, failingByte: failingByte.offset)
                }
            case .dynamicAttribute(let name, var value):
                total += name.utf8.count + 4
                switch value.withUTF8({ escapedLength($0) }) {
                case .success(let length): total += length
                case .failure(let failingByte):
                    throw encodingError(attribute: name, value: value, failingByte: failingByte.offset)
                }
            case .raw(let text):
                total += text.utf8.count
            case .text(var text):
                switch text.withUTF8({ escapedLength($0) }) {
                case .success(let length): total += length
                case .failure(let failingByte):
                    throw encodingError(attribute: "(text)", value: text, failingByte: failingByte.offset)
                }
            }
        }
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, count in
            guard var cursor = buffer.baseAddress else { return }
            cursor = copy(declaration, to: cursor)
            for part in parts {
                switch part {
                case .markup(let text):
                    cursor = copy(text, to: cursor)
                case .attribute(let name, var value):
                    cursor.pointee = UInt8(ascii: " ")
                    cursor = copy(name, to: cursor + 1)
                    cursor[0] = UInt8(ascii: "=")
                    cursor[1] = UInt8(ascii: "\"")
                    cursor = value.withUTF8 { writeEscaped($0, to: cursor + 2) }
                    cursor.pointee = UInt8(ascii: "\"")
                    cursor += 1
                case .dynamicAttribute(var name, var value):
                    cursor.pointee = UInt8(ascii: " ")
                    cursor = name.withUTF8 { copy($0, to: cursor + 1) }
                    cursor[0] = UInt8(ascii: "=")
                    cursor[1] = UInt8(ascii: "\"")
                    cursor = value.withUTF8 { writeEscaped($0, to: cursor + 2) }
                    cursor.pointee = UInt8(ascii: "\"")
                    cursor += 1
                case .raw(var text):
                    cursor = text.withUTF8 { copy($0, to: cursor) }
                case .text(var text):
                    cursor = text.withUTF8 { writeEscaped($0, to: cursor) }
                }
            }
            count = cursor - buffer.baseAddress!
        }
    }

    private static func copy(_ text: StaticString, to cursor: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        text.withUTF8Buffer { source in
            cursor.update(from: source.baseAddress!, count: source.count)
        }
        return cursor + text.utf8CodeUnitCount
    }

    private static func copy(_ bytes: UnsafeBufferPointer<UInt8>, to cursor: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<
        UInt8
    > {
        guard let base = bytes.baseAddress else { return cursor }
        cursor.update(from: base, count: bytes.count)
        return cursor + bytes.count
    }

    /// Where a value fails: the byte offset of a character XML 1.0 cannot represent.
    struct Unrepresentable: Error {
        var offset: Int
    }

    /// How many bytes an ASCII byte becomes, or 0 for one XML 1.0 cannot carry at all.
    @inline(__always)
    private static func escapedWidth(of byte: UInt8) -> Int {
        switch byte {
        case UInt8(ascii: "&"): 5  // &amp;
        case UInt8(ascii: "<"), UInt8(ascii: ">"): 4  // &lt; &gt;
        case UInt8(ascii: "\""): 6  // &quot;
        // Tab, line feed and carriage return must be references, or attribute-value
        // normalization turns them into spaces on the way back in.
        case 0x09: 4  // &#9;
        case 0x0A, 0x0D: 5  // &#10; &#13;
        case 0x7F: 6  // &#127;
        case 0x00...0x1F: 0
        default: 1
        }
    }

    /// Writes the escaped form of an ASCII byte and returns the end.
    @inline(__always)
    private static func writeEscaped(_ byte: UInt8, to cursor: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        func put(_ text: StaticString) -> UnsafeMutablePointer<UInt8> {
            let count = text.utf8CodeUnitCount
            let source = text.utf8Start
            for index in 0..<count { cursor[index] = source[index] }
            return cursor + count
        }
        switch byte {
        case UInt8(ascii: "&"): return put("&amp;")
        case UInt8(ascii: "<"): return put("&lt;")
        case UInt8(ascii: ">"): return put("&gt;")
        case UInt8(ascii: "\""): return put("&quot;")
        case 0x09: return put("&#9;")
        case 0x0A: return put("&#10;")
        case 0x0D: return put("&#13;")
        case 0x7F: return put("&#127;")
        default:
            cursor.pointee = byte
            return cursor + 1
        }
    }

    /// The escaped length of `utf8`, or where it holds a character XML cannot carry.
    private static func escapedLength(_ utf8: UnsafeBufferPointer<UInt8>) -> Result<Int, Unrepresentable> {
        var length = 0
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte < 0x80 {
                let width = escapedWidth(of: byte)
                if width == 0 { return .failure(Unrepresentable(offset: index)) }
                length += width
            } else if byte == 0xC2, index + 1 < utf8.count, (0x80...0x9F).contains(utf8[index + 1]) {
                // C1 control characters are legal in XML 1.0 but invisible: `&#128;` … `&#159;`.
                length += 6
                index += 1
            } else if byte == 0xEF, index + 2 < utf8.count, utf8[index + 1] == 0xBF, utf8[index + 2] >= 0xBE {
                return .failure(Unrepresentable(offset: index))  // U+FFFE, U+FFFF
            } else {
                length += 1
            }
            index += 1
        }
        return .success(length)
    }

    /// Writes `utf8` escaped (it was measured by `escapedLength` first) and returns the end.
    private static func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to start: UnsafeMutablePointer<UInt8>)
        -> UnsafeMutablePointer<UInt8>
    {
        var cursor = start
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte < 0x80 {
                cursor = writeEscaped(byte, to: cursor)
            } else if byte == 0xC2, index + 1 < utf8.count, (0x80...0x9F).contains(utf8[index + 1]) {
                let value = utf8[index + 1]
                // 0x80…0x9F is 128…159: `&#1` and two digits.
                cursor[0] = UInt8(ascii: "&")
                cursor[1] = UInt8(ascii: "#")
                cursor[2] = UInt8(ascii: "1")
                cursor[3] = UInt8(ascii: "0") + (value / 10) % 10
                cursor[4] = UInt8(ascii: "0") + value % 10
                cursor[5] = UInt8(ascii: ";")
                cursor += 6
                index += 1
            } else {
                cursor.pointee = byte
                cursor += 1
            }
            index += 1
        }
        return cursor
    }

    private static func encodingError(attribute: String, value: String, failingByte: Int) -> EncodingError {
        var offset = 0
        var consumed = 0
        var character: Unicode.Scalar = "\u{0}"
        for scalar in value.unicodeScalars {
            if consumed >= failingByte {
                character = scalar
                break
            }
            consumed += UTF8.width(scalar)
            offset += 1
        }
        return EncodingError(attribute: attribute, character: character, offset: offset)
    }
}
