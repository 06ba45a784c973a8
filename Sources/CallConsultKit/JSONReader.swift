/// A small JSON reader for the websocket form: objects (keeping key order), arrays and strings.
/// Numbers, booleans and null do not occur in the form and are refused.
struct JSONReader {
    indirect enum Value {
        case object([(String, Value)], offset: Int)
        case array([Value], offset: Int)
        case string(String, offset: Int)

        var offset: Int {
            switch self {
            case .object(_, let offset), .array(_, let offset), .string(_, let offset): offset
            }
        }
    }

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func document() throws(JSONFormError) -> Value {
        let value = try self.value()
        skipSpace()
        guard index == bytes.count else { throw failure("text after the JSON value") }
        return value
    }

    private func failure(_ message: String) -> JSONFormError {
        JSONFormError(message: message, offset: index)
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws(JSONFormError) {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else {
            throw failure("expected '\(Character(Unicode.Scalar(byte)))'")
        }
        index += 1
    }

    private mutating func value() throws(JSONFormError) -> Value {
        skipSpace()
        guard index < bytes.count else { throw failure("the JSON text ends where a value belongs") }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "{"):
            try enter()
            index += 1
            var members: [(String, Value)] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
            } else {
                while true {
                    skipSpace()
                    let keyOffset = index
                    guard case .string(let key, _) = try string() else { throw failure("expected a key") }
                    if members.contains(where: { $0.0 == key }) {
                        throw JSONFormError(message: "key '\(key)' appears twice", offset: keyOffset)
                    }
                    try expect(UInt8(ascii: ":"))
                    members.append((key, try value()))
                    skipSpace()
                    guard index < bytes.count else { throw failure("the JSON text ends inside an object") }
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    try expect(UInt8(ascii: "}"))
                    break
                }
            }
            depth -= 1
            return .object(members, offset: start)
        case UInt8(ascii: "["):
            try enter()
            index += 1
            var items: [Value] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
            } else {
                while true {
                    items.append(try value())
                    skipSpace()
                    guard index < bytes.count else { throw failure("the JSON text ends inside an array") }
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    try expect(UInt8(ascii: "]"))
                    break
                }
            }
            depth -= 1
            return .array(items, offset: start)
        case UInt8(ascii: "\""):
            return try string()
        default:
            throw failure("only objects, arrays and strings occur in the JSON form")
        }
    }

    private mutating func enter() throws(JSONFormError) {
        depth += 1
        guard depth <= MessageElement.maxJSONDepth else {
            throw failure("arrays and objects are nested deeper than \(MessageElement.maxJSONDepth)")
        }
    }

    private mutating func string() throws(JSONFormError) -> Value {
        let start = index
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a string") }
        index += 1
        var scalars = String.UnicodeScalarView()
        var run = index
        func flush(_ reader: JSONReader, upTo end: Int) throws(JSONFormError) {
            guard let text = String(validating: reader.bytes[run..<end], as: UTF8.self) else {
                throw JSONFormError(message: "a string is not valid UTF-8", offset: run)
            }
            scalars.append(contentsOf: text.unicodeScalars)
        }
        while true {
            guard index < bytes.count else { throw JSONFormError(message: "a string is not closed", offset: start) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                try flush(self, upTo: index)
                index += 1
                return .string(String(scalars), offset: start)
            }
            if byte < 0x20 { throw failure("a control character inside a string must be escaped") }
            guard byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            try flush(self, upTo: index)
            index += 1
            guard index < bytes.count else { throw failure("a string ends inside an escape") }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{8}")
            case UInt8(ascii: "f"): scalars.append("\u{C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var value = try hex4()
                if (0xD800...0xDBFF).contains(value) {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                    else {
                        throw failure("a high surrogate without its low surrogate")
                    }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw failure("a high surrogate without its low surrogate") }
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(value) else { throw failure("a lone low surrogate") }
                scalars.append(scalar)
            default:
                throw failure("unknown escape")
            }
            run = index
        }
    }

    private mutating func hex4() throws(JSONFormError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw failure("a \\u escape needs four hex digits")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }
}
