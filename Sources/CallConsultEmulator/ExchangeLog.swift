import NIOConcurrencyHelpers

/// The latest exchanges, oldest first, at most `capacity` of them; safe from any task.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
final class ExchangeLog: Sendable {
    private struct Ring {
        var items: [ECSSEmulator.Exchange] = []
        var start = 0  // the oldest item, once the ring is full
    }

    private let capacity: Int
    private let ring = NIOLockedValueBox(Ring())

    init(capacity: Int) {
        self.capacity = max(capacity, 0)
    }

    func append(_ exchange: ECSSEmulator.Exchange) {
        guard capacity > 0 else { return }
        ring.withLockedValue { ring in
            if ring.items.count < capacity {
                ring.items.append(exchange)
            } else {
                ring.items[ring.start] = exchange
                ring.start = (ring.start + 1) % capacity
            }
        }
    }

    var all: [ECSSEmulator.Exchange] {
        ring.withLockedValue { ring in Array(ring.items[ring.start...] + ring.items[..<ring.start]) }
    }
}
