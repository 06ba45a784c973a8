#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Parse engines kept for reuse, one per thread, so that a parse neither creates and frees
/// libxml2 contexts nor takes a lock.
///
/// Each thread that decodes keeps its engine in thread-local storage and uses it for one parse at
/// a time (a busy flag guards against re-entrant use), so no two threads ever share one, and an
/// engine never moves between threads (which would also make glibc's allocator lock the arenas of
/// other threads). An engine whose parser dictionary has grown large (documents full of distinct
/// names) is freed instead of kept, so memory stays bounded; a thread's engine is freed when the
/// thread exits.
final class EnginePool: Sendable {
    private let key: pthread_key_t

    /// The dictionary size past which an engine is retired.
    static let dictionaryLimit = 512

    private init?() {
        var key = pthread_key_t()
        guard pthread_key_create(&key, releaseEngine) == 0 else { return nil }
        self.key = key
    }

    /// The process's pool.
    static let shared: Result<EnginePool, DocumentError> = {
        guard let pool = EnginePool() else {
            return .failure(ParseEngine.internalFailure("no thread-local storage key is left for the parser pool"))
        }
        return .success(pool)
    }()

    /// Runs `body` with an engine that no other thread uses meanwhile; `nil` when libxml2 could
    /// not make one.
    func withEngine<T>(_ body: (ParseEngine) -> T) -> T? {
        if let stored = pthread_getspecific(key) {
            // The thread's storage holds a reference, so the engine outlives this call without
            // being retained again.
            // The result is returned straight out of the closure (not in a tuple with the
            // retirement flag), so that it is moved, not copied and destroyed.
            var retire = false
            let result: T? = Unmanaged<ParseEngine>.fromOpaque(stored)._withUnsafeGuaranteedRef { engine in
                guard !engine.isBusy else {
                    // A re-entrant call on this thread (none exists today): never share an engine.
                    return ParseEngine().map(body)
                }
                engine.isBusy = true
                let result = body(engine)
                engine.isBusy = false
                retire = engine.dictionarySize > Self.dictionaryLimit
                return result
            }
            if retire {
                pthread_setspecific(key, nil)
                Unmanaged<ParseEngine>.fromOpaque(stored).release()
            }
            return result
        }
        guard let engine = ParseEngine() else { return nil }
        engine.isBusy = true
        let result = body(engine)
        engine.isBusy = false
        if engine.dictionarySize <= Self.dictionaryLimit {
            pthread_setspecific(key, Unmanaged.passRetained(engine).toOpaque())
        }
        return result
    }
}

/// Frees a thread's engine when the thread exits.
private func releaseEngine(_ stored: UnsafeMutableRawPointer?) {
    guard let stored else { return }
    Unmanaged<ParseEngine>.fromOpaque(stored).release()
}
