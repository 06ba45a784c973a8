/// Writes the documents CallConsultKit produces: UTF-8, with an XML declaration, attribute
/// values escaped so that any XML processor reads back exactly the value written.
struct DocumentWriter {
    private(set) var bytes: [UInt8]

    static let declaration: StaticString = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
        append(Self.declaration)
    }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends ` name="value"` with the value escaped.
    mutating func appendAttribute(_ name: StaticString, _ value: String) throws(EncodingError) {
        append(" ")
        append(name)
        append("=\"")
        var value = value
        let failure: Int? = value.withUTF8 { appendEscaped($0) }
        if let failure {
            throw Self.encodingError(attribute: name, value: value, failingByte: failure)
        }
        append("\"")
    }

    /// Appends `utf8` escaped for a double-quoted attribute value. Returns the byte offset of a
    /// character XML 1.0 cannot represent, or `nil` when everything was written.
    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        let count = utf8.count
        while index < count {
            let byte = utf8[index]
            switch byte {
            case UInt8(ascii: "&"): append("&amp;")
            case UInt8(ascii: "<"): append("&lt;")
            case UInt8(ascii: ">"): append("&gt;")
            case UInt8(ascii: "\""): append("&quot;")
            // Tab, line feed and carriage return must be references, or attribute-value
            // normalization turns them into spaces on the way back in.
            case 0x09: append("&#9;")
            case 0x0A: append("&#10;")
            case 0x0D: append("&#13;")
            case 0x7F: append("&#127;")
            case 0x00...0x1F: return index
            case 0xC2 where index + 1 < count && (0x80...0x9F).contains(utf8[index + 1]):
                // C1 control characters are legal in XML 1.0 but invisible: write them as references.
                appendDecimalReference(UInt32(utf8[index + 1]))
                index += 1
            case 0xEF where index + 2 < count && utf8[index + 1] == 0xBF && utf8[index + 2] >= 0xBE:
                return index  // U+FFFE, U+FFFF
            default: bytes.append(byte)
            }
            index += 1
        }
        return nil
    }

    private mutating func appendDecimalReference(_ value: UInt32) {
        append("&#")
        let digits = String(value)
        bytes.append(contentsOf: digits.utf8)
        append(";")
    }

    private static func encodingError(attribute: StaticString, value: String, failingByte: Int) -> EncodingError {
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
        return EncodingError(attribute: attribute.description, character: character, offset: offset)
    }
}
