import Foundation

/// Writes `serve`'s standard output on a thread of its own, so that a reader that stops reading
/// never blocks request handling.
///
/// Request handlers only ``enqueue(_:)`` a line into a bounded queue and return. One dedicated
/// thread writes the queue out with blocking writes. When standard output is not being read, the
/// writer blocks, the queue fills, and further lines are dropped and counted; when the writer
/// reaches the place of the lost lines, it says so in one line on standard error
/// (`serve: N log lines dropped: standard output is not being read`), keeping standard output to
/// the documented lines.
///
/// Nothing is written before ``start(with:)``: the listening line is always the first line, even
/// when connections are answered before it is known.
///
/// A failed write stops the writer for good and calls `onFailure` once (serve then stops, exit 74).
final class ExchangeLogWriter: @unchecked Sendable {
    // @unchecked: every stored var is read and written only with `condition` locked.
    private enum Entry {
        case line(String)
        case dropped(Int)
    }

    private let condition = NSCondition()
    private let capacity: Int
    private let name: String
    private let onFailure: @Sendable (StandardOutput.WriteError) -> Void
    private var entries: [Entry] = []
    private var queuedLines = 0
    private var linesInFlight = 0
    private var started = false
    private var finishing = false
    private var failed = false
    /// Whether the writer waits for a first line: only then does a new line wake it.
    private var writerIdle = false
    private let linger: TimeInterval

    /// A writer that queues at most `capacity` lines while the one before is being written;
    /// `name` (the subcommand's) begins its line on standard error.
    ///
    /// With a `linger` (seconds), the writer, woken by a line, waits that long for more before
    /// writing them all at once: one write and one wake-up for many lines under load, each line
    /// at most `linger` late.
    init(
        name: String = "serve", capacity: Int = 1024, linger: TimeInterval = 0,
        onFailure: @escaping @Sendable (StandardOutput.WriteError) -> Void
    ) {
        self.name = name
        self.capacity = capacity
        self.linger = linger
        self.onFailure = onFailure
    }

    /// Queues `line` (without its newline); never blocks. Drops it when the queue is full.
    func enqueue(_ line: String) {
        condition.lock()
        defer { condition.unlock() }
        guard !failed, !finishing else { return }
        if queuedLines >= capacity {
            if case .dropped(let count) = entries.last {
                entries[entries.count - 1] = .dropped(count + 1)
            } else {
                entries.append(.dropped(1))
            }
        } else {
            entries.append(.line(line))
            queuedLines += 1
        }
        if writerIdle { condition.signal() }
    }

    /// Writes `first`, then every line queued so far and later, from the writer's thread.
    func start(with first: String) {
        condition.lock()
        entries.insert(.line(first), at: 0)
        queuedLines += 1
        started = true
        condition.unlock()
        let thread = Thread { [self] in run() }
        thread.name = "callconsult serve output"
        thread.start()
    }

    /// Stops taking lines and waits, at most `timeout`, for the queue to be written. Returns how
    /// many lines were not written (0 when every line was).
    func finish(timeout: TimeInterval) -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        finishing = true
        condition.broadcast()
        while started, !failed, !entries.isEmpty || linesInFlight > 0 {
            if !condition.wait(until: deadline) { break }
        }
        guard !failed else { return 0 }
        let queued = entries.reduce(0) {
            if case .dropped(let count) = $1 { return $0 + count }
            return $0 + 1
        }
        return queued + linesInFlight
    }

    private func run() {
        while true {
            condition.lock()
            while entries.isEmpty, !finishing {
                writerIdle = true
                condition.wait()
                writerIdle = false
            }
            if linger > 0, !finishing {
                // Lines queued meanwhile do not wake it (it is not idle); finish() does.
                _ = condition.wait(until: Date().addingTimeInterval(linger))
            }
            if entries.isEmpty {
                condition.unlock()
                return
            }
            let batch = entries
            entries = []
            linesInFlight = queuedLines
            queuedLines = 0
            condition.unlock()
            if let error = write(batch) {
                condition.lock()
                failed = true
                entries = []
                linesInFlight = 0
                condition.broadcast()
                condition.unlock()
                onFailure(error)
                return
            }
            condition.lock()
            linesInFlight = 0
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Writes the lines of `batch` in order, and the notice of each run of dropped lines.
    private func write(_ batch: [Entry]) -> StandardOutput.WriteError? {
        var pending: [UInt8] = []
        do throws(StandardOutput.WriteError) {
            for entry in batch {
                switch entry {
                case .line(let line):
                    pending += (line + "\n").utf8
                case .dropped(let count):
                    try StandardOutput.write(pending)
                    pending = []
                    StandardOutput.writeToStandardError(
                        "\(name): \(count) log line\(count == 1 ? "" : "s") dropped: standard output is not being read")
                }
            }
            try StandardOutput.write(pending)
        } catch {
            return error
        }
        return nil
    }
}
