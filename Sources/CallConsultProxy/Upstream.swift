import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOHTTP1

/// Where requests go, and which header fields cross the proxy.
struct Upstream: Sendable {
    /// `scheme://host:port` and the upstream URL's path, without a trailing `/`.
    let base: String

    init(_ url: URL) {
        var text = url.absoluteString
        if let query = text.firstIndex(of: "?") { text = String(text[..<query]) }
        while text.hasSuffix("/") { text.removeLast() }
        base = text
    }

    /// The upstream URL of a request target (path and query, as the client sent it).
    func url(for target: String) -> String {
        base + (target.hasPrefix("/") ? target : "/" + target)
    }

    /// The hop-by-hop fields (RFC 9110 §7.6.1), `Host` and `Content-Length`, lower-cased: they
    /// describe one connection, or are recomputed for the same body.
    static let dropped: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
        "transfer-encoding", "upgrade", "host", "content-length",
    ]

    /// The names the `Connection` fields list, lower-cased: hop-by-hop too.
    static func connectionOptions<S: Sequence>(_ values: S) -> Set<String> where S.Element == String {
        Set(values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    }

    /// The client's fields to send on.
    static func forwarded(_ fields: HTTPFields) -> HTTPHeaders {
        let options = connectionOptions(fields[values: .connection])
        var headers = HTTPHeaders()
        for field in fields {
            let name = field.name.canonicalName
            if dropped.contains(name) || options.contains(name) { continue }
            headers.add(name: field.name.rawName, value: field.value)
        }
        return headers
    }

    /// The upstream's fields to answer with, in their order (its `Content-Length` kept in place:
    /// the body is the same bytes, read whole).
    static func returned(_ headers: HTTPHeaders) -> HTTPFields {
        let options = connectionOptions(headers[canonicalForm: "connection"].map(String.init))
        var fields = HTTPFields()
        for (name, value) in headers {
            let lower = name.lowercased()
            if lower != "content-length", dropped.contains(lower) || options.contains(lower) { continue }
            guard let fieldName = HTTPField.Name(name) else { continue }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        return fields
    }
}
