import ArgumentParser
import Foundation

/// Where `callconsult send` sends: the base URL and the domain, from `--url` and `--domain`.
enum SendTarget {
    /// The base URL and domain. With `--domain`, the URL is the base as given (its path, if any,
    /// is a prefix). Without it, the URL's path names the domain: `/example.domain`, or a path
    /// ending in `/service/cc/arm` or `/service/cc/arm/call_consult`, whose segment before
    /// `service` is the domain; the base is what comes before it.
    static func resolve(url: String, domain: String?) throws -> (base: String, domain: String) {
        if let domain {
            guard !domain.isEmpty else { throw ValidationError("--domain is empty") }
            return (url, domain)
        }
        guard let components = URLComponents(string: url), components.scheme != nil, components.host != nil else {
            throw ValidationError("--url \(String(reflecting: url)) is not a URL with a scheme and a host")
        }
        var segments = components.percentEncodedPath.split(separator: "/").map(String.init)
        for suffix in [["service", "cc", "arm", "call_consult"], ["service", "cc", "arm"]]
        where segments.count > suffix.count && Array(segments.suffix(suffix.count)) == suffix {
            segments.removeLast(suffix.count)
            break
        }
        guard let last = segments.last, let domain = last.removingPercentEncoding, !domain.isEmpty else {
            throw ValidationError("no domain: give --domain, or put it in the URL's path (http://host:8089/example.domain)")
        }
        var base = components
        base.percentEncodedPath = segments.dropLast().map { "/" + $0 }.joined()
        guard let baseURL = base.string else { throw ValidationError("--url \(String(reflecting: url)) is not usable") }
        return (baseURL, domain)
    }
}
