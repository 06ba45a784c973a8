/// JSON string literals, written one way for every JSON this package prints: the websocket form
/// and the `callconsult` command's `--json` lines.
package enum JSONString {
    /// Appends `value` to `out` as a JSON string literal: `"` and `\` escaped, control characters
    /// (and U+007F, and U+2028 and U+2029, which some JavaScript readers take as line ends) as
    /// `\n`, `\r`, `\t` or `\u00XX`, every other character kept as it is.
    package static func append(_ value: String, to out: inout String) {
        out += "\""
        // The common case, printable ASCII without `"` or `\`, is kept as it is in one append.
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            out += value
            out += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0}"..."\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// `value` as a JSON string literal, escaped as ``append(_:to:)`` does.
    package static func quoted(_ value: String) -> String {
        var out = ""
        append(value, to: &out)
        return out
    }
}
