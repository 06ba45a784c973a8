import NIOConcurrencyHelpers

/// The live sessions: a random token for each, its domain, its age and the commands it served.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
final class SessionStore: Sendable {
    /// What a command's cookie is worth.
    enum Check: Equatable {
        /// A live session of the domain; the command counts against it.
        case live
        /// No token, or one that names no session of this domain.
        case unknown
        /// The session was used up or outlived; it has now ended.
        case expired
    }

    private struct Session {
        var domain: String
        var created: ContinuousClock.Instant
        var commands: Int
    }

    /// The most sessions kept: a login beyond it ends the oldest session, so that logins in a
    /// loop cannot grow memory without end.
    static let capacity = 4096

    private let commandLimit: Int?
    private let lifetime: Duration?
    private let sessions = NIOLockedValueBox([String: Session]())

    init(commands: Int?, lifetime: Duration?) {
        self.commandLimit = commands
        self.lifetime = lifetime
    }

    /// Starts a session of `domain` and returns its token: 128 bits from the system's random
    /// source, in hex.
    func open(domain: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let token = (0..<2).map { _ in hex(generator.next()) }.joined()
        let now = ContinuousClock.now
        sessions.withLockedValue { sessions in
            if sessions.count >= Self.capacity, let oldest = sessions.min(by: { $0.value.created < $1.value.created }) {
                sessions.removeValue(forKey: oldest.key)
            }
            sessions[token] = Session(domain: domain, created: now, commands: 0)
        }
        return token
    }

    /// Checks the session `token` names for a command of `domain`, counting the command when the
    /// session is live and ending the session when it is expired.
    func use(_ token: String?, domain: String) -> Check {
        guard let token else { return .unknown }
        let now: ContinuousClock.Instant? = lifetime == nil ? nil : .now
        return sessions.withLockedValue { sessions in
            // One lookup of the token: the index serves the read and the update.
            guard let index = sessions.index(forKey: token), sessions.values[index].domain == domain else {
                return .unknown
            }
            let session = sessions.values[index]
            let usedUp = commandLimit.map { session.commands >= $0 } ?? false
            let outlived = if let lifetime, let now { now - session.created >= lifetime } else { false }
            if usedUp || outlived {
                sessions.remove(at: index)
                return .expired
            }
            sessions.values[index].commands += 1
            return .live
        }
    }

    /// Ends the session `token` names, if any.
    func end(_ token: String?) {
        guard let token else { return }
        _ = sessions.withLockedValue { $0.removeValue(forKey: token) }
    }

    func removeAll() {
        sessions.withLockedValue { $0.removeAll() }
    }
}

/// 16 lower-case hex digits, leading zeros kept.
private func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}
