import Metrics
import NIOConcurrencyHelpers

/// The `Counter`s and `Timer`s of one client, each made once for its label and dimension values
/// and kept, as Hummingbird's `MetricsMiddleware` keeps its own: a metrics factory such as
/// swift-prometheus' looks every new metric up in its registry under a lock and sanitizes its label
/// and dimensions, which costs far more than a call's own work when it is done on every call.
///
/// Bounded: every dimension value but one comes from a fixed set or a command name; ECSS-10's
/// error reason (already a short token, ``Instruments/boundedReason(_:)``) is chosen by the
/// server, so the number of its values is not. Past ``capacity`` entries a metric that is not
/// kept is made anew for each use, through the factory, as it was before there was a cache: it
/// is still counted (the factory gives the same series for the same label and dimensions), it
/// only costs the factory's look-up again.
///
/// Made only when a metrics factory is there (``Instruments/current()``): a client without one
/// never makes or touches a cache.
final class MetricsCache: Sendable {
    /// The default for ``capacity``: far more than the client's fixed series (a few per command
    /// and outcome), and a bound on what a hostile server's reasons can make a client keep.
    static let defaultCapacity = 1_024

    /// A metric's label and the values of its dimensions, at most two. A label always comes with
    /// the same dimension names in this client, so the names need not be part of the key.
    struct Key: Hashable, Sendable {
        /// The metric's label.
        let label: String
        /// The value of the first dimension.
        let first: String
        /// The value of the second dimension, `nil` when there is only one.
        let second: String?
    }

    /// A dimension: its name and value, as swift-metrics takes them.
    typealias Dimension = (name: String, value: String)

    /// The metrics kept, counters and timers apart (a key names one label, so a label's kind).
    private struct Entries {
        /// The counters kept, by label and dimension values.
        var counters: [Key: Counter] = [:]
        /// The timers kept, by label and dimension values.
        var timers: [Key: Timer] = [:]
        /// How many metrics are kept.
        var count: Int { counters.count + timers.count }
    }

    /// The factory every metric is made by.
    let factory: any MetricsFactory
    /// How many metrics are kept at most, counters and timers together.
    let capacity: Int
    /// The metrics kept.
    private let entries = NIOLockedValueBox(Entries())

    /// A cache of metrics made by `factory`, keeping at most `capacity` of them.
    init(factory: any MetricsFactory, capacity: Int = MetricsCache.defaultCapacity) {
        self.factory = factory
        self.capacity = max(0, capacity)
    }

    /// How many metrics are kept.
    var count: Int { entries.withLockedValue { $0.count } }

    /// The counter `label` with the dimension `first` (and `second`, if given): the one kept, or a
    /// new one, kept if there is room.
    func counter(_ label: String, _ first: Dimension, _ second: Dimension? = nil) -> Counter {
        let key = Key(label: label, first: first.value, second: second?.value)
        let kept: Counter? = entries.withLockedValue { entries in
            if let counter = entries.counters[key] { return counter }
            guard entries.count < capacity else { return nil }
            let counter = Counter(label: label, dimensions: Self.dimensions(first, second), factory: factory)
            entries.counters[key] = counter
            return counter
        }
        return kept ?? Counter(label: label, dimensions: Self.dimensions(first, second), factory: factory)
    }

    /// The timer `label` with the dimension `first` (and `second`, if given), shown in seconds: the
    /// one kept, or a new one, kept if there is room.
    func timer(_ label: String, _ first: Dimension, _ second: Dimension? = nil) -> Timer {
        let key = Key(label: label, first: first.value, second: second?.value)
        let kept: Timer? = entries.withLockedValue { entries in
            if let timer = entries.timers[key] { return timer }
            guard entries.count < capacity else { return nil }
            let timer = makeTimer(label, first, second)
            entries.timers[key] = timer
            return timer
        }
        return kept ?? makeTimer(label, first, second)
    }

    /// A new timer `label`, shown in seconds, made by the factory.
    private func makeTimer(_ label: String, _ first: Dimension, _ second: Dimension?) -> Timer {
        Timer(label: label, dimensions: Self.dimensions(first, second), preferredDisplayUnit: .seconds, factory: factory)
    }

    /// The dimensions as swift-metrics takes them.
    private static func dimensions(_ first: Dimension, _ second: Dimension?) -> [(String, String)] {
        guard let second else { return [(first.name, first.value)] }
        return [(first.name, first.value), (second.name, second.value)]
    }
}
