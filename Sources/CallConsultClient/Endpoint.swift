import Foundation

/// The URLs of one server and domain, taken apart once: what requests are sent to and what the
/// cookie jar matches against.
struct Endpoint: Sendable, Hashable {
    /// `http` or `https`.
    var scheme: String
    /// The host as the cookie jar compares it: lower-cased, an IPv6 address without brackets.
    var host: String
    /// `scheme://authority` as given, without a path.
    var origin: String
    /// The path before `/<domain>/…`: empty, or starting with `/` and not ending with one.
    var pathPrefix: String
    /// The domain as one percent-encoded path segment.
    var encodedDomain: String

    /// Whether requests go over TLS (cookies marked `Secure` are sent only then).
    var isSecure: Bool { scheme == "https" }

    /// The directory every command's path is in: `<prefix>/<domain>/service/cc/arm`.
    var commandDirectory: String { "\(pathPrefix)/\(encodedDomain)/service/cc/arm" }

    /// The path of a command: `<prefix>/<domain>/service/cc/arm/<command>`.
    func path(of command: String) -> String {
        "\(pathPrefix)/\(encodedDomain)/service/cc/arm/\(command)"
    }

    /// The URL of a command.
    func url(of command: String) -> String { origin + path(of: command) }

    /// Takes `baseURL` apart; ``ECSSClientError/Kind/invalidConfiguration`` when it cannot be used.
    static func parse(baseURL: String, domain: String) throws(ECSSClientError) -> Endpoint {
        func refuse(_ reason: String) -> ECSSClientError {
            ECSSClientError(kind: .invalidConfiguration, message: reason, mayHaveBeenDelivered: false)
        }
        guard !domain.isEmpty else { throw refuse("the domain is empty") }
        guard let components = URLComponents(string: baseURL), let scheme = components.scheme?.lowercased() else {
            throw refuse("the base URL \(String(reflecting: baseURL)) is not a URL")
        }
        guard scheme == "http" || scheme == "https" else {
            throw refuse("the base URL's scheme is \(String(reflecting: scheme)), not http or https")
        }
        guard let host = components.host, !host.isEmpty else { throw refuse("the base URL has no host") }
        guard components.query == nil, components.fragment == nil else {
            throw refuse("the base URL has a query or a fragment")
        }
        guard components.user == nil, components.password == nil else {
            throw refuse("the base URL carries a user name or password")
        }
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        if !path.isEmpty, !path.hasPrefix("/") { path = "/" + path }
        let origin =
            scheme + "://" + hostForURL(components.percentEncodedHost ?? host) + (components.port.map { ":\($0)" } ?? "")
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let encoded = domain.addingPercentEncoding(withAllowedCharacters: unreserved) ?? domain
        let bareHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return Endpoint(
            scheme: scheme, host: bareHost.lowercased(), origin: origin, pathPrefix: path, encodedDomain: encoded)
    }

    /// An IPv6 address in brackets, as a URL writes it.
    private static func hostForURL(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }
}
