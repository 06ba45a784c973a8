/// The cookies a login answer set, kept as RFC 6265 §5.3 says and sent back with the commands of
/// the same host (§5.4): every cookie, whatever its name, since ECSS-10 does not document which
/// one holds the session.
///
/// A cookie is refused when its `Domain` does not domain-match the host that set it (a foreign
/// cookie); one without `Domain` is host-only; one without `Path` gets the directory of the login
/// URL's path. `Max-Age` (which wins over `Expires`) and `Expires` bound its life: an expired
/// cookie is dropped and never sent.
struct CookieJar: Sendable, Hashable {
    /// One stored cookie.
    struct Cookie: Sendable, Hashable {
        var name: String
        var value: String
        /// The host it is sent to (host-only) or the domain it is sent under.
        var domain: String
        var hostOnly: Bool
        var path: String
        var secure: Bool
        /// Seconds since the Unix epoch after which it is dropped; `nil` for a session cookie.
        var expiry: Int64?
    }

    private(set) var cookies: [Cookie] = []

    /// Stores the cookies of `headers` (the values of every `Set-Cookie` header), set by an
    /// answer from `host` to a request for `requestPath`, at `now` (seconds since the epoch).
    /// Returns the names of the cookies refused as foreign (for a debug log line).
    @discardableResult
    mutating func store(setCookieHeaders headers: [String], host: String, requestPath: String, now: Int64) -> [String] {
        let host = host.lowercased()
        var refused: [String] = []
        for header in headers {
            guard let parsed = SetCookie(header: header) else { continue }
            let domain: String
            let hostOnly: Bool
            if let attribute = parsed.domain {
                guard Self.domainMatches(host: host, domain: attribute) else {
                    refused.append(parsed.name)
                    continue
                }
                domain = attribute
                hostOnly = false
            } else {
                domain = host
                hostOnly = true
            }
            let expiry: Int64?
            if let maxAge = parsed.maxAge {
                // A huge Max-Age saturates (the cookie never expires), it does not wrap into the past.
                let (sum, overflow) = now.addingReportingOverflow(maxAge)
                expiry = maxAge <= 0 ? Int64.min : overflow ? Int64.max : sum
            } else {
                expiry = parsed.expires
            }
            let cookie = Cookie(
                name: parsed.name, value: parsed.value, domain: domain, hostOnly: hostOnly,
                path: parsed.path ?? Self.defaultPath(of: requestPath), secure: parsed.secure, expiry: expiry)
            cookies.removeAll { $0.name == cookie.name && $0.domain == cookie.domain && $0.path == cookie.path }
            if let expiry, expiry <= now { continue }  // an expired cookie removes the one it replaces
            cookies.append(cookie)
        }
        return refused
    }

    /// The `Cookie` header value for a request to `host` and `path`, or `nil` when no stored
    /// cookie applies. Longer paths come first, as RFC 6265 §5.4 recommends.
    func header(host: String, path: String, secure: Bool, now: Int64) -> String? {
        let host = host.lowercased()
        let matching = cookies.filter { cookie in
            if let expiry = cookie.expiry, expiry <= now { return false }
            if cookie.secure && !secure { return false }
            let hostMatches = cookie.hostOnly ? host == cookie.domain : Self.domainMatches(host: host, domain: cookie.domain)
            return hostMatches && Self.pathMatches(path, cookie.path)
        }
        guard !matching.isEmpty else { return nil }
        return matching.enumerated()
            .sorted { ($0.element.path.count, -$0.offset) > ($1.element.path.count, -$1.offset) }
            .map { "\($0.element.name)=\($0.element.value)" }
            .joined(separator: "; ")
    }

    /// RFC 6265 §5.1.3: the host equals the domain, or ends with `.domain` and is a host name
    /// (not an IP address).
    static func domainMatches(host: String, domain: String) -> Bool {
        if host == domain { return true }
        let isAddress = host.contains(":") || host.split(separator: ".").allSatisfy { $0.allSatisfy(\.isNumber) }
        return !isAddress && host.hasSuffix("." + domain)
    }

    /// RFC 6265 §5.1.4: the same path, or a prefix ending with `/` or followed by `/`.
    static func pathMatches(_ requestPath: String, _ cookiePath: String) -> Bool {
        guard requestPath.hasPrefix(cookiePath) else { return false }
        return requestPath.count == cookiePath.count || cookiePath.hasSuffix("/")
            || requestPath.dropFirst(cookiePath.count).hasPrefix("/")
    }

    /// RFC 6265 §5.1.4's default-path: the request path up to, not including, its last `/`
    /// (`/` when that leaves nothing).
    static func defaultPath(of requestPath: String) -> String {
        guard requestPath.hasPrefix("/"), let last = requestPath.lastIndex(of: "/"), last != requestPath.startIndex else {
            return "/"
        }
        return String(requestPath[..<last])
    }
}
