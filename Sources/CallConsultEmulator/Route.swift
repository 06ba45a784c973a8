import Hummingbird

/// What a request's path names: `/<DOMAIN>/service/cc/arm/<command>`, or another path.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
struct Route {
    /// The domain segment when the path has the API's shape, else `""`.
    var domain: String
    var command: ECSSEmulator.Command

    /// The route of a request's path: `request.uri.path`, read from the raw target
    /// (`request.head.path`) where that gives the same path without copying it.
    ///
    /// For an origin-form target (`/…`, what clients send) Hummingbird's `URI` takes the bytes
    /// before the first `?` as the path; so does this. Any other target (absolute form, `*`,
    /// none) goes through `request.uri`. A path of ASCII bytes is read byte by byte; any other
    /// path is split into `Character`s by ``init(path:)``, so that both give the same route for
    /// every path.
    init(_ request: Request) {
        guard let target = request.head.path, target.utf8.first == UInt8(ascii: "/") else {
            self.init(path: request.uri.path)
            return
        }
        let utf8 = target.utf8
        let path = target[..<(utf8.firstIndex(of: UInt8(ascii: "?")) ?? utf8.endIndex)]
        if let route = path.utf8.withContiguousStorageIfAvailable({ Self.ascii($0, path) }), let route {
            self = route
        } else {
            self.init(path: String(path))
        }
    }

    /// The route of a path (without its query), split into `Character`s.
    init(path: String) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count == 6, segments[0].isEmpty, segments[2] == "service", segments[3] == "cc", segments[4] == "arm"
        else {
            domain = ""
            command = .other(path: path)
            return
        }
        domain = String(segments[1])
        switch segments[5] {
        case "login": command = .login
        case "call_consult": command = .callConsult
        default: command = .other(path: path)
        }
    }

    private init(domain: String, command: ECSSEmulator.Command) {
        self.domain = domain
        self.command = command
    }

    private static let middle = Array("/service/cc/arm/".utf8)
    private static let login = Array("login".utf8)
    private static let callConsult = Array("call_consult".utf8)

    /// The route of `path`, whose UTF-8 is `bytes` and starts with `/`; `nil` when a byte is not
    /// ASCII. On ASCII, bytes and `Character`s are the same thing, so this is ``init(path:)``:
    /// six segments are `/<DOMAIN>/service/cc/arm/<COMMAND>` with neither part holding a `/`.
    private static func ascii(_ bytes: UnsafeBufferPointer<UInt8>, _ path: Substring) -> Route? {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        guard let slash = bytes[1...].firstIndex(of: UInt8(ascii: "/")), bytes[slash...].starts(with: middle),
            !bytes[(slash + middle.count)...].contains(UInt8(ascii: "/"))
        else {
            return Route(domain: "", command: .other(path: String(path)))
        }
        let domain = String(decoding: UnsafeBufferPointer(rebasing: bytes[1..<slash]), as: UTF8.self)
        let command = UnsafeBufferPointer(rebasing: bytes[(slash + middle.count)...])
        if command.elementsEqual(login) { return Route(domain: domain, command: .login) }
        if command.elementsEqual(callConsult) { return Route(domain: domain, command: .callConsult) }
        return Route(domain: domain, command: .other(path: String(path)))
    }

    /// Whether `domain` is a plain name: letters, digits, `.`, `_`, `-` and `~`, at most 253 of
    /// them. Anything else (a percent sign, a `;`, a space) is refused, so that a domain is
    /// always safe in a cookie's `Path` and in a log line.
    static func isPlainName(_ domain: String) -> Bool {
        !domain.isEmpty && domain.utf8.count <= 253
            && domain.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"),
                    UInt8(ascii: "~"):
                    true
                default: false
                }
            }
    }
}
