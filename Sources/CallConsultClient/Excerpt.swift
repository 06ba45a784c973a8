/// Text quoted from an answer into an error: the start of the body as UTF-8 (invalid bytes
/// replaced), trimmed, with every secret hidden, control characters escaped so it stays on one
/// line, cut to `limit` characters (an ellipsis marks a cut).
///
/// Secrets are hidden before the cut, over a window of the body that reaches past the excerpt by
/// the longest secret, and then once more at the cut: every occurrence of a secret, whatever its
/// length, becomes `***`, and so does the end of a cut excerpt when it is the start of a secret
/// (the rest of the secret was cut off). A very short secret therefore blanks out ordinary text
/// too: that is the price of never showing any of it.
enum Excerpt {
    static func make(_ bytes: some Collection<UInt8>, limit: Int = ECSSClientError.excerptLength, hiding secrets: [String])
        -> String
    {
        let secrets = secrets.filter { !$0.isEmpty }
        // Leading ASCII white space is skipped before the window is taken, so that padding cannot
        // push a secret past the window's end. A scalar takes at most 4 bytes.
        let body = bytes.drop { [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D].contains($0) }
        let window = body.prefix(limit * 4 + 64 + (secrets.map(\.utf8.count).max() ?? 0))
        let truncated = window.count < body.count
        let scalars = hide(secrets, in: String(decoding: window, as: UTF8.self)).unicodeScalars
        let start = scalars.firstIndex { !$0.properties.isWhitespace } ?? scalars.endIndex
        let end = scalars.lastIndex { !$0.properties.isWhitespace }.map { scalars.index(after: $0) } ?? scalars.endIndex
        let trimmed = scalars[start..<max(start, end)]
        var kept = String.UnicodeScalarView(trimmed.prefix(limit))
        let cut = kept.count < trimmed.count || truncated
        if cut { hideSecretStart(secrets, atEndOf: &kept) }
        var out = ""
        for scalar in kept {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0}"..."\u{1F}", "\u{7F}"..."\u{9F}", "\u{2028}", "\u{2029}":
                out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return cut ? out + "…" : out
    }

    /// Replaces the end of `text` by `***` when it is the start of a secret (the longest such
    /// start of any secret).
    private static func hideSecretStart(_ secrets: [String], atEndOf text: inout String.UnicodeScalarView) {
        var longest = 0
        for secret in secrets {
            let secretScalars = Array(secret.unicodeScalars)
            for length in stride(from: min(secretScalars.count, text.count), to: longest, by: -1)
            where text.suffix(length).elementsEqual(secretScalars.prefix(length)) {
                longest = length
                break
            }
        }
        guard longest > 0 else { return }
        text.removeLast(longest)
        text.append(contentsOf: "***".unicodeScalars)
    }

    /// `text` with every occurrence of each secret (of any length but 0) replaced by `***`.
    static func hide(_ secrets: [String], in text: String) -> String {
        var text = text
        for secret in secrets where !secret.isEmpty {
            text = text.replacing(secret, with: "***")
        }
        return text
    }
}
