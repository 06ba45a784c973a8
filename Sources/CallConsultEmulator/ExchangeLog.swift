import NIOConcurrencyHelpers

/// The latest exchanges, oldest first, at most `capacity` of them, each numbered as it is
/// appended; safe from any task.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
final class ExchangeLog: Sendable {
    private struct Ring {
        var items: [ECSSEmulator.Exchange] = []
        var start = 0  // the oldest item, once the ring is full
        var lastSeq = 0

        var ordered: [ECSSEmulator.Exchange] { Array(items[start...] + items[..<start]) }
    }

    private let capacity: Int
    private let ring = NIOLockedValueBox(Ring())

    init(capacity: Int) {
        self.capacity = max(capacity, 0)
    }

    /// Numbers the exchange (its ``ECSSEmulator/Exchange/seq``), keeps it, and returns it.
    @discardableResult
    func append(_ exchange: ECSSEmulator.Exchange) -> ECSSEmulator.Exchange {
        var exchange = exchange
        ring.withLockedValue { ring in
            ring.lastSeq += 1
            exchange.seq = ring.lastSeq
            guard capacity > 0 else { return }
            if ring.items.count < capacity {
                ring.items.append(exchange)
            } else {
                ring.items[ring.start] = exchange
                ring.start = (ring.start + 1) % capacity
            }
        }
        return exchange
    }

    var all: [ECSSEmulator.Exchange] {
        ring.withLockedValue { $0.ordered }
    }

    /// The exchanges numbered after `seq`, oldest first.
    func after(_ seq: Int) -> [ECSSEmulator.Exchange] {
        ring.withLockedValue { ring in ring.ordered.filter { $0.seq > seq } }
    }

    /// Forgets every exchange; numbering goes on.
    func removeAll() {
        ring.withLockedValue { ring in
            ring.items.removeAll()
            ring.start = 0
        }
    }
}
