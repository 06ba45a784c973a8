/// What a request's path names: `/<DOMAIN>/service/cc/arm/<command>`, or another path.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
struct Route {
    /// The domain segment when the path has the API's shape, else `""`.
    var domain: String
    var command: ECSSEmulator.Command

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
