import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import XCTest

@testable import CallConsultClient

/// `DeadlineTimer`: one timer for the deadlines of many calls.
final class DeadlineTimerTests: XCTestCase {
    private let eventLoop = MultiThreadedEventLoopGroup.singleton.any()

    /// The names expired so far, in order.
    private final class Expired: Sendable {
        private let names = NIOLockedValueBox<[String]>([])
        func append(_ name: String) { names.withLockedValue { $0.append(name) } }
        var all: [String] { names.withLockedValue { $0 } }

        /// Waits (at most 10 s) until `count` names expired.
        func wait(for count: Int) async throws {
            for _ in 0..<1000 where all.count < count { try await Task.sleep(for: .milliseconds(10)) }
        }
    }

    func testADeadlineExpiresOnceAfterItPassedAndNotBefore() async throws {
        let timer = DeadlineTimer(on: eventLoop)
        let expired = Expired()
        let start = NIODeadline.now()
        _ = timer.add(start + .milliseconds(100)) { expired.append("a") }
        XCTAssertEqual(expired.all, [])
        try await expired.wait(for: 1)
        XCTAssertGreaterThanOrEqual(NIODeadline.now() - start, .milliseconds(100))
        try await Task.sleep(for: .milliseconds(50))
        XCTAssertEqual(expired.all, ["a"])
        XCTAssertEqual(timer.pendingCount, 0)
    }

    func testARemovedDeadlineNeverExpiresAndTheTimerGoesOnToTheNextOne() async throws {
        let timer = DeadlineTimer(on: eventLoop)
        let expired = Expired()
        // The timer is set for "first"; removing it leaves the timer set, and when it fires it
        // must set itself again for "second".
        let first = timer.add(.now() + .milliseconds(50)) { expired.append("first") }
        _ = timer.add(.now() + .milliseconds(150)) { expired.append("second") }
        timer.remove(first)
        XCTAssertEqual(timer.pendingCount, 1)
        try await expired.wait(for: 1)
        try await Task.sleep(for: .milliseconds(50))
        XCTAssertEqual(expired.all, ["second"])
    }

    func testAnEarlierDeadlineAddedLaterMovesTheTimer() async throws {
        let timer = DeadlineTimer(on: eventLoop)
        let expired = Expired()
        _ = timer.add(.now() + .seconds(30)) { expired.append("late") }
        let start = NIODeadline.now()
        _ = timer.add(start + .milliseconds(50)) { expired.append("early") }
        try await expired.wait(for: 1)
        XCTAssertEqual(expired.all, ["early"], "the early deadline did not wait for the late one")
        XCTAssertLessThan(NIODeadline.now() - start, .seconds(20))
        XCTAssertEqual(timer.pendingCount, 1)
    }

    func testManyDeadlinesExpireInTheirOrderAndRemovedOnesDoNot() async throws {
        let timer = DeadlineTimer(on: eventLoop)
        let expired = Expired()
        let start = NIODeadline.now()
        // Added in a shuffled order; every third one removed before it passes.
        var tokens: [(Int, DeadlineTimer.Token)] = []
        for index in [7, 2, 9, 0, 5, 3, 8, 1, 6, 4, 11, 10] {
            let token = timer.add(start + .milliseconds(Int64(40 + 20 * index))) { expired.append("\(index)") }
            tokens.append((index, token))
        }
        for (index, token) in tokens where index % 3 == 0 { timer.remove(token) }
        try await expired.wait(for: 8)
        try await Task.sleep(for: .milliseconds(100))
        XCTAssertEqual(expired.all, ["1", "2", "4", "5", "7", "8", "10", "11"])
        XCTAssertEqual(timer.pendingCount, 0)
    }

    func testATimerNoLongerUsedIsFreedWithoutWaitingForItsDeadline() {
        // A client dropped after its calls ended must not leave its timer, set for the last call's
        // deadline (an hour away here, for ever with a huge timeout), on the event loop.
        weak var dropped: DeadlineTimer?
        do {
            let timer = DeadlineTimer(on: eventLoop)
            dropped = timer
            timer.remove(timer.add(.now() + .seconds(3600)) {})
        }
        XCTAssertNil(dropped, "the event loop keeps the timer until its deadline")
    }

    func testAPassedDeadlineExpiresAtOnce() async throws {
        let timer = DeadlineTimer(on: eventLoop)
        let expired = Expired()
        _ = timer.add(.now() - .seconds(1)) { expired.append("past") }
        _ = timer.add(.distantFuture) { expired.append("never") }
        try await expired.wait(for: 1)
        XCTAssertEqual(expired.all, ["past"])
        XCTAssertEqual(timer.pendingCount, 1)
    }
}
