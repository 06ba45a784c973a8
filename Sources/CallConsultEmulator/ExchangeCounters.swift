internal import Metrics
internal import NIOConcurrencyHelpers

/// The `ecss.emulator.exchanges` counters of one emulator, each made once for its command and
/// outcome and kept: a metrics factory such as swift-prometheus' looks every new metric up in its
/// registry under a lock and sanitizes its label and dimensions, which costs a good part of an
/// exchange when it is done on every one.
///
/// Bounded: the commands and outcomes are fixed sets (``EmulatorInstruments``), far fewer than
/// ``capacity``; past it a counter is made anew for each exchange, through the factory, and is
/// still counted (the factory gives the same series for the same label and dimensions).
final class ExchangeCounters: Sendable {
    /// How many counters are kept at most.
    static let capacity = 512

    /// A counter's dimension values.
    private struct Key: Hashable {
        let command: String
        let outcome: String
    }

    /// The factory every counter is made by.
    private let factory: any MetricsFactory
    /// The counters kept.
    private let counters = NIOLockedValueBox([Key: Counter]())

    /// Counters made by `factory`.
    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// How many counters are kept.
    var count: Int { counters.withLockedValue { $0.count } }

    /// The counter of `command`'s exchanges that ended with `outcome`, made on first use.
    func counter(command: String, outcome: String) -> Counter {
        let key = Key(command: command, outcome: outcome)
        if let kept = counters.withLockedValue({ $0[key] }) { return kept }
        let made = Counter(
            label: "ecss.emulator.exchanges", dimensions: [("ecss.command", command), ("ecss.outcome", outcome)],
            factory: factory)
        return counters.withLockedValue { counters in
            if let kept = counters[key] { return kept }
            if counters.count < Self.capacity { counters[key] = made }
            return made
        }
    }
}
