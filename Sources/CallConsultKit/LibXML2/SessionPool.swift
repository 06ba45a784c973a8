#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Parse sessions kept for reuse, one per thread, so that a parse neither creates and frees two
/// libxml2 contexts nor takes a lock.
///
/// Each thread that decodes keeps its session in thread-local storage and uses it for one parse
/// at a time (a busy flag guards against re-entrant use), so no two threads ever share one, and a
/// session never moves between threads (which would also make glibc's allocator lock the arenas of
/// other threads). A session whose parser dictionary has grown large (documents full of distinct
/// names) is freed instead of kept, so memory stays bounded; a thread's session is freed when the
/// thread exits.
final class SessionPool: Sendable {
    private let schema: CompiledSchema
    private let key: pthread_key_t

    /// The dictionary size past which a session is retired.
    static let dictionaryLimit = 512

    private init?(schema: CompiledSchema) {
        var key = pthread_key_t()
        guard pthread_key_create(&key, releaseSession) == 0 else { return nil }
        self.schema = schema
        self.key = key
    }

    /// The pool over the bundled schema.
    static let shared: Result<SessionPool, DocumentError> = CompiledSchema.shared.flatMap { schema in
        guard let pool = SessionPool(schema: schema) else {
            return .failure(
                DocumentError(
                    kind: .internalFailure,
                    issues: [
                        .init(
                            line: 0, column: 0, element: nil, message: "no thread-local storage key is left for the parser pool",
                            domain: .policy, code: 0)
                    ]))
        }
        return .success(pool)
    }

    /// Runs `body` with a session that no other thread uses meanwhile.
    func withSession<T>(_ body: (ParseSession) -> T) -> T? {
        if let stored = pthread_getspecific(key) {
            // The thread's storage holds a reference, so the session outlives this call without
            // being retained again.
            let (result, retire) = Unmanaged<ParseSession>.fromOpaque(stored)._withUnsafeGuaranteedRef {
                session -> (T?, Bool) in
                guard !session.isBusy else {
                    // A re-entrant call on this thread (none exists today): never share a session.
                    return (ParseSession(schema: schema).map(body), false)
                }
                session.isBusy = true
                let result = body(session)
                session.isBusy = false
                return (result, session.dictionarySize > Self.dictionaryLimit)
            }
            if retire {
                pthread_setspecific(key, nil)
                Unmanaged<ParseSession>.fromOpaque(stored).release()
            }
            return result
        }
        guard let session = ParseSession(schema: schema) else { return nil }
        session.isBusy = true
        let result = body(session)
        session.isBusy = false
        if session.dictionarySize <= Self.dictionaryLimit {
            pthread_setspecific(key, Unmanaged.passRetained(session).toOpaque())
        }
        return result
    }
}

/// Frees a thread's session when the thread exits.
private func releaseSession(_ stored: UnsafeMutableRawPointer?) {
    guard let stored else { return }
    Unmanaged<ParseSession>.fromOpaque(stored).release()
}
