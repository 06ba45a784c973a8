import HummingbirdCore
import Logging
import NIOCore

/// A Hummingbird child channel (``HTTP1Channel``, or TLS around it) whose connections are served
/// in a task preferring the connection's event loop as its executor (``EventLoopTaskExecutor``).
///
/// Hummingbird serves each connection in a task on the global pool: every request then wakes a
/// pool thread to handle it and the event loop again to write the answer. Here the connection's
/// task runs where its bytes arrive, which takes both wake-ups off every request's path. Nothing
/// on the emulator's path blocks; a ``ECSSEmulator/CommandDecision`` runs there too and must not
/// block either (awaiting is fine).
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
struct EventLoopChildChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}
