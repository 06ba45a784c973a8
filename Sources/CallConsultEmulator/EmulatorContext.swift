import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

/// The request context of the emulator: Hummingbird's core storage and the connection's channel,
/// which a fault closes (or resets) and watches for the client leaving.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
struct EmulatorContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}

/// What a fault does to a connection.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
enum Connection {
    /// Closes the connection with a reset (`SO_LINGER` 0): the client sees `ECONNRESET`, not an
    /// orderly end.
    static func reset(_ channel: any Channel) async {
        if let provider = channel as? any SocketOptionProvider {
            try? await provider.setSoLinger(NIOLinger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await channel.close().get()
    }

    /// Closes the connection in order (what was written is sent first).
    static func close(_ channel: any Channel) async {
        try? await channel.close().get()
    }

    /// Why ``wait(on:for:stop:)`` returned.
    enum Ending: Sendable, Equatable {
        case elapsed
        case clientLeft
        case stopping
    }

    /// Waits, suspended (no thread is held): until `duration` passed (`nil`: never), the client
    /// closed the connection, the emulator began to stop, or the task was cancelled.
    static func wait(on channel: any Channel, for duration: Duration?, stop: StopSignal) async -> Ending {
        let pending = NIOLockedValueBox<CheckedContinuation<Ending, Never>?>(nil)
        let ended = NIOLockedValueBox<Ending?>(nil)
        @Sendable func finish(_ ending: Ending) {
            let continuation = pending.withLockedValue { pending in
                defer { pending = nil }
                return pending
            }
            if let continuation {
                continuation.resume(returning: ending)
            } else {
                ended.withLockedValue { $0 = $0 ?? ending }
            }
        }
        let timer = duration.map { duration in
            channel.eventLoop.scheduleTask(in: TimeAmount(duration)) { finish(.elapsed) }
        }
        let watcher = stop.onStop { finish(.stopping) }
        channel.closeFuture.whenComplete { _ in finish(.clientLeft) }
        defer {
            timer?.cancel()
            stop.remove(watcher)
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // An ending that came before the continuation existed is taken at once.
                let early: Ending? = ended.withLockedValue { ended in
                    guard let ending = ended else {
                        pending.withLockedValue { $0 = continuation }
                        return nil
                    }
                    return ending
                }
                if let early { continuation.resume(returning: early) }
            }
        } onCancel: {
            finish(.stopping)
        }
    }
}
