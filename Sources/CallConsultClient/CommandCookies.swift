import CallConsultKit

/// The `Cookie` header of each command of a session, made once at the login from its cookies,
/// and the time until which it holds.
///
/// Every command's path is `<directory>/<command>`, where `<directory>` is
/// `<prefix>/<domain>/service/cc/arm`. A cookie whose `Path` is the directory or any path above it
/// (`Path=/`, the login's default path) goes with every command, and one whose path is elsewhere
/// goes with none: in the common case, a jar of only such cookies, one header serves every command
/// and a call only reads it. A cookie whose path lies below the directory
/// (`Path=/<domain>/service/cc/arm/call_hold`) goes only where RFC 6265's path-match says: then the
/// header is made once per command, at the login.
struct CommandCookies: Sendable {
    /// The header of every command, when no cookie's path lies below the commands' directory.
    private let shared: String?
    /// The header of each command (absent: no cookie), when some cookie's path lies below it.
    private let perCommand: [CommandName: String]?
    /// Seconds since the epoch until which the headers hold: when the first cookie expires.
    let validUntil: Int64

    /// The headers of `jar`'s cookies for the commands under `directory` on `host`, at `now`
    /// (seconds since the epoch).
    init(jar: CookieJar, host: String, directory: String, secure: Bool, now: Int64) {
        func header(_ command: CommandName) -> String? {
            jar.header(host: host, path: directory + "/" + command.rawValue, secure: secure, now: now)
        }
        validUntil = jar.cookies.compactMap(\.expiry).min() ?? .max
        if jar.cookies.contains(where: { Self.liesBelow(directory, $0.path) }) {
            shared = nil
            var headers: [CommandName: String] = [:]
            for command in CommandName.allCases where command != .login {
                headers[command] = header(command)
            }
            perCommand = headers
        } else {
            shared = header(.callConsult)
            perCommand = nil
        }
    }

    /// The header of `command`, or `nil` when no cookie goes with it.
    func header(for command: CommandName) -> String? {
        guard let perCommand else { return shared }
        return perCommand[command]
    }

    /// Whether a cookie of `path` applies to some commands and not to others: its path is longer
    /// than `directory/` and starts with it. Any other path path-matches every
    /// `directory/<command>` alike (a prefix of `directory/`) or none of them.
    static func liesBelow(_ directory: String, _ path: String) -> Bool {
        path.count > directory.count + 1 && path.hasPrefix(directory + "/")
    }
}
