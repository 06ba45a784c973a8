import CallConsultKit
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
    /// When a target's first `Character` is `/` (an origin-form target, what clients send),
    /// Hummingbird's `URI` takes the bytes before the first `?` as the path; so does this. Any
    /// other target (absolute form, `*`, none, or a `/` that a combining mark joins) goes through
    /// `request.uri`. A path of ASCII bytes is read byte by byte; any other path is split into
    /// `Character`s by ``init(path:)``, so that both give the same route for every path.
    init(_ request: Request) {
        guard let target = request.head.path,
            let route = target.utf8.withContiguousStorageIfAvailable(Self.originForm) ?? nil
        else {
            self.init(path: request.uri.path)
            return
        }
        self = route
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
        command = CommandName(rawValue: String(segments[5])).map { .named($0) } ?? .other(path: path)
    }

    private init(domain: String, command: ECSSEmulator.Command) {
        self.domain = domain
        self.command = command
    }

    /// The route of an origin-form target's UTF-8 (`/…`), `nil` for any other target. Its path is
    /// the bytes before the first `?`. On ASCII, bytes and `Character`s are the same thing, so an
    /// ASCII path is read here the way ``init(path:)`` splits it: six segments are
    /// `/<DOMAIN>/service/cc/arm/<COMMAND>`, neither part holding a `/`. Any other path goes to
    /// ``init(path:)``.
    private static func originForm(_ bytes: UnsafeBufferPointer<UInt8>) -> Route? {
        // A `/` followed by an ASCII byte, or by nothing, is a `Character` of its own.
        guard bytes.first == UInt8(ascii: "/"), bytes.count == 1 || bytes[1] < 0x80 else { return nil }
        var end = 0
        var union: UInt8 = 0  // every byte of the path OR-ed: its top bit says whether one is not ASCII
        var slash = 0  // the `/` after the domain
        var slashes = 0
        while end < bytes.count, bytes[end] != UInt8(ascii: "?") {
            if bytes[end] == UInt8(ascii: "/") {
                if slashes == 1 { slash = end }
                slashes += 1
            }
            union |= bytes[end]
            end += 1
        }
        let path = UnsafeBufferPointer(rebasing: bytes[..<end])
        guard union < 0x80 else { return Route(path: String(decoding: path, as: UTF8.self)) }
        let middle: StaticString = "/service/cc/arm/"
        let command = slash + middle.utf8CodeUnitCount
        // Five `/` in all, four of them in `middle`: neither the domain nor the command holds one.
        guard slashes == 5, path.has(middle, at: slash) else {
            return Route(domain: "", command: .other(path: String(decoding: path, as: UTF8.self)))
        }
        let domain = String(decoding: UnsafeBufferPointer(rebasing: path[1..<slash]), as: UTF8.self)
        if path.count - command == 12, path.has("call_consult", at: command) {
            return Route(domain: domain, command: .named(.callConsult))
        }
        if path.count - command == 5, path.has("login", at: command) { return Route(domain: domain, command: .named(.login)) }
        let name = String(decoding: UnsafeBufferPointer(rebasing: path[command...]), as: UTF8.self)
        if let known = CommandName(rawValue: name) { return Route(domain: domain, command: .named(known)) }
        return Route(domain: domain, command: .other(path: String(decoding: path, as: UTF8.self)))
    }

    /// Whether `domain` is a plain name: letters, digits, `.`, `_`, `-` and `~`, at most 253 of
    /// them. Anything else (a percent sign, a `;`, a space) is refused, so that a domain is
    /// always safe in a cookie's `Path` and in a log line.
    static func isPlainName(_ domain: String) -> Bool {
        let plain = { (byte: UInt8) -> Bool in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"),
                UInt8(ascii: "~"):
                true
            default: false
            }
        }
        return !domain.isEmpty && domain.utf8.count <= 253
            && (domain.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(plain) } ?? domain.utf8.allSatisfy(plain))
    }
}
