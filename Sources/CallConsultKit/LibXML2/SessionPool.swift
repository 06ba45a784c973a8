/// Parse sessions kept for reuse, so that a parse does not create and free two libxml2 contexts.
///
/// A session is taken out for exactly one parse and given back after it; no two threads ever use
/// one at the same time. A session whose parser dictionary has grown large (documents full of
/// distinct names) is freed instead of kept, so memory stays bounded.
final class SessionPool: Sendable {
    private let schema: CompiledSchema
    private let idle = PoolLock<[ParseSession]>([])

    /// How many idle sessions are kept.
    static let capacity = 64
    /// The dictionary size past which a session is retired.
    static let dictionaryLimit = 512

    init(schema: CompiledSchema) {
        self.schema = schema
    }

    /// The pool over the bundled schema.
    static let shared: Result<SessionPool, DocumentError> = CompiledSchema.shared.map(SessionPool.init)

    /// Runs `body` with a session that no other thread uses meanwhile.
    func withSession<T>(_ body: (ParseSession) -> T) -> T? {
        let reused = idle.withLock { $0.popLast() }
        guard let session = reused ?? ParseSession(schema: schema) else { return nil }
        let result = body(session)
        if session.dictionarySize <= Self.dictionaryLimit {
            idle.withLock { sessions in
                if sessions.count < Self.capacity { sessions.append(session) }
            }
        }
        return result
    }
}
