import Foundation

/// Runs `work` on a thread of its own (not the concurrency pool, which blocking calls would
/// starve) and returns its result.
public func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.start()
    }
}
