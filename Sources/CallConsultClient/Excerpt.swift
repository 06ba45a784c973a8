/// Text quoted from an answer into an error: the start of the body as UTF-8 (invalid bytes
/// replaced) with every secret replaced by `***`, trimmed, control characters escaped so it stays on one line, cut to `limit`
/// characters (an ellipsis marks a cut).
enum Excerpt {
    static func make(_ bytes: some Collection<UInt8>, limit: Int = ECSSClientError.excerptLength, hiding secrets: [String])
        -> String
    {
        let scalars = hide(secrets, in: String(decoding: bytes.prefix(limit * 4 + 64), as: UTF8.self)).unicodeScalars
        let start = scalars.firstIndex { !$0.properties.isWhitespace } ?? scalars.endIndex
        let end = scalars.lastIndex { !$0.properties.isWhitespace }.map { scalars.index(after: $0) } ?? scalars.endIndex
        var out = ""
        var count = 0
        for scalar in scalars[start..<max(start, end)] {
            if count == limit {
                out += "…"
                break
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0}"..."\u{1F}", "\u{7F}"..."\u{9F}", "\u{2028}", "\u{2029}":
                out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return out
    }

    /// `text` with each secret of at least 4 characters replaced by `***` (a shorter one would
    /// blank out ordinary words).
    static func hide(_ secrets: [String], in text: String) -> String {
        var text = text
        for secret in secrets where secret.count >= 4 {
            text = text.replacing(secret, with: "***")
        }
        return text
    }
}
