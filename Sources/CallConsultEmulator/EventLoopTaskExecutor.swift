import NIOCore

/// A connection's event loop as a Swift concurrency `TaskExecutor`: a task that prefers it runs
/// its nonisolated code on the event loop's thread instead of the global pool.
///
/// The emulator serves each connection in a task preferring its channel's event loop
/// (``EventLoopChildChannel``), so that reading a request, deciding and writing the answer happen
/// on the thread that reads and writes the socket: no wake-up of another thread per request,
/// which is most of a request's latency on one connection. A job enqueued from the event loop
/// itself joins the loop's queue without waking anything.
final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop every job runs on.
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
