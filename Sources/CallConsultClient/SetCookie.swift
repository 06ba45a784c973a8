/// One `Set-Cookie` header of an answer, parsed as RFC 6265 §5.2 says (attribute names are
/// case-insensitive, unknown attributes are ignored, the last of a repeated attribute wins).
///
/// AsyncHTTPClient's `HTTPClient.Cookie(header:defaultDomain:)` is not used because its public
/// fields cannot tell a host-only cookie from one with a `Domain` attribute, nor an absent `Path`
/// from `Path=/`, and its `Expires` is not public: all three matter to the jar.
struct SetCookie: Sendable, Hashable {
    /// The cookie's name.
    var name: String
    /// The cookie's value (a secret: never logged or described).
    var value: String
    /// The `Domain` attribute, lower-cased, without a leading dot; `nil` when absent or empty.
    var domain: String?
    /// The `Path` attribute when present and starting with `/`; `nil` otherwise.
    var path: String?
    /// `Max-Age` in seconds (may be zero or negative: the cookie is to be removed).
    var maxAge: Int64?
    /// `Expires`, in seconds since the Unix epoch.
    var expires: Int64?
    /// `Secure`: send only over https.
    var secure: Bool

    /// Parses `header`; `nil` when it has no `=` in its first part or an empty name, as RFC 6265
    /// §5.2 says such a header is ignored.
    init?(header: String) {
        var parts = header.split(separator: ";", omittingEmptySubsequences: false)[...]
        guard let pair = parts.popFirst(), let equals = pair.firstIndex(of: "=") else { return nil }
        let name = Self.trimmed(pair[..<equals])
        guard !name.isEmpty else { return nil }
        self.name = String(name)
        self.value = String(Self.trimmed(pair[pair.index(after: equals)...]))
        self.domain = nil
        self.path = nil
        self.maxAge = nil
        self.expires = nil
        self.secure = false
        for part in parts {
            let attribute: Substring
            let argument: Substring
            if let equals = part.firstIndex(of: "=") {
                attribute = Self.trimmed(part[..<equals])
                argument = Self.trimmed(part[part.index(after: equals)...])
            } else {
                attribute = Self.trimmed(part)
                argument = ""
            }
            switch attribute.lowercased() {
            case "domain":
                let bare = argument.hasPrefix(".") ? argument.dropFirst() : argument
                domain = bare.isEmpty ? nil : bare.lowercased()
            case "path":
                path = argument.hasPrefix("/") ? String(argument) : nil
            case "max-age":
                // RFC 6265 §5.2.2: a leading "-" or digits only; anything else is ignored.
                let digits = argument.hasPrefix("-") ? argument.dropFirst() : argument
                if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
                    maxAge = Int64(argument) ?? (argument.hasPrefix("-") ? Int64.min : Int64.max)
                }
            case "expires":
                if let time = CookieDate.parse(argument) { expires = time }
            case "secure":
                secure = true
            default:
                continue
            }
        }
    }

    private static func trimmed(_ text: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = text.firstIndex(where: { !isSpace($0) }) else { return text[text.endIndex...] }
        guard let end = text.lastIndex(where: { !isSpace($0) }) else { return text[text.endIndex...] }
        return text[start...end]
    }
}
