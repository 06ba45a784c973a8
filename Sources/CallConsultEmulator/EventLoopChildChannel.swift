import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// A Hummingbird child channel (``HTTP1Channel``, or TLS around it) that serves a connection on
/// its own event loop when it is the only one open, and on Swift's concurrency pool (as
/// Hummingbird does) otherwise.
///
/// On the pool, every request wakes a pool thread to handle it and the event loop again to write
/// the answer: most of a request's latency when one client talks to the emulator, as a test suite
/// does. On its event loop (a task preferring ``EventLoopTaskExecutor``), a connection's request
/// is read, decided and answered on the thread that reads its socket. With many connections at
/// once the pool does better: the loops only read and write while the pool decides, in parallel.
/// Measured with wrk against the fixed-answer route (BENCHMARKS.md): on the loop, one connection
/// went from 0.87 to 0.98–0.99 of the route (p50 33 instead of 85 µs on a busy machine), but with
/// every connection on its loop 16 and 256 connections fell to 0.8 (with two on their loops, 16
/// still gave 0.82–0.89); so a connection is served on its loop only when at most ``maxOnLoop``
/// are open, itself included.
///
/// Nothing on the emulator's path blocks; a ``ECSSEmulator/CommandDecision`` runs there too and
/// must not block either (awaiting is fine).
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
struct EventLoopChildChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    /// How many connections may be open, a new one included, for it to be served on its loop.
    static var maxOnLoop: Int { 1 }

    let base: Base
    /// The connections open now, shared by every connection of one server.
    let open: OpenConnections

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        let count = open.value.add(1, ordering: .relaxed).newValue
        defer { open.value.subtract(1, ordering: .relaxed) }
        guard count <= Self.maxOnLoop else { return await base.handle(value: value, logger: logger) }
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}

/// The number of connections a server has open.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
final class OpenConnections: Sendable {
    let value = Atomic<Int>(0)
}
