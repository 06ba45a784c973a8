import CallConsultKit
import Metrics
import MetricsTestKit
import XCTest

@testable import CallConsultClient

/// The client's cache of metrics (``MetricsCache``): each made once, at most `capacity` kept,
/// counts exact whether a metric is kept or not, across many calls and tasks.
final class MetricsCacheTests: XCTestCase {
    func testAMetricIsMadeOnceForEachLabelAndDimensionValues() throws {
        let metrics = TestMetrics()
        let cache = MetricsCache(factory: metrics)
        let first = cache.counter("c", ("a", "1"), ("b", "2"))
        XCTAssertTrue(first === cache.counter("c", ("a", "1"), ("b", "2")))
        XCTAssertFalse(first === cache.counter("c", ("a", "1"), ("b", "3")))
        XCTAssertFalse(first === cache.counter("c", ("a", "1")))
        let timer = cache.timer("t", ("a", "1"))
        XCTAssertTrue(timer === cache.timer("t", ("a", "1")))
        XCTAssertEqual(cache.count, 4)
        first.increment()
        cache.counter("c", ("a", "1"), ("b", "2")).increment()
        XCTAssertEqual(try metrics.expectCounter("c", [("a", "1"), ("b", "2")]).totalValue, 2)
        timer.recordNanoseconds(5)
        let testTimer = try metrics.expectTimer("t", [("a", "1")])
        XCTAssertEqual(testTimer.values, [5])
        XCTAssertEqual(testTimer.displayUnit, .seconds)
    }

    func testPastItsCapacityAMetricIsNotKeptButStillCounted() throws {
        let metrics = TestMetrics()
        let cache = MetricsCache(factory: metrics, capacity: 4)
        let reasons = (0..<10).map { "reason_\($0)" }
        for _ in 0..<3 {
            for reason in reasons { cache.counter("e", ("r", reason)).increment() }
            cache.timer("t", ("r", "late")).recordNanoseconds(1)
        }
        XCTAssertEqual(cache.count, 4)
        for reason in reasons {
            XCTAssertEqual(try metrics.expectCounter("e", [("r", reason)]).totalValue, 3, reason)
        }
        XCTAssertEqual(try metrics.expectTimer("t", [("r", "late")]).values.count, 3)
        // The first four are the ones kept; the others are made anew on each use.
        let kept = cache.counter("e", ("r", "reason_0"))
        XCTAssertTrue(kept === cache.counter("e", ("r", "reason_0")))
        XCTAssertFalse(cache.counter("e", ("r", "reason_9")) === cache.counter("e", ("r", "reason_9")))
        XCTAssertEqual(MetricsCache.defaultCapacity, 1_024)
        XCTAssertEqual(MetricsCache(factory: metrics, capacity: -1).capacity, 0)
    }

    func testCountsStayExactOverManyCallsFromManyTasks() async throws {
        let metrics = TestMetrics()
        // A command of conversation "no" gets an error reply, any other an ok.
        let handler = FakeECSS.handler { request in
            request.text.contains(#"conversation_id="no""#)
                ? .respond(.forbidden, FakeECSS.xml, FakeECSS.refused) : .respond(.ok, FakeECSS.xml, FakeECSS.ok)
        }
        let tasks = 12
        let rounds = 25
        try await TestServer.withServer(handler: handler) { server in
            let client = try withMetricsFactory(metrics) { try FakeECSS.client(server) }
            try await client.login()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<tasks {
                    group.addTask {
                        for _ in 0..<rounds {
                            let conversation = task.isMultiple(of: 2) ? "ok" : "no"
                            _ = try await client.callConsult(
                                CallConsultRequest(conversationID: conversation, toNumber: "1001", operatorID: "42"))
                            _ = try await client.callHold(CallHoldRequest(conversationID: conversation))
                            _ = try await client.callUnhold(CallUnholdRequest(conversationID: conversation))
                        }
                    }
                }
                try await group.waitForAll()
            }
            // calls: 3 commands × 2 outcomes; error replies and timers: 3 commands; one login.
            XCTAssertEqual(client.instruments.metrics?.count, 6 + 3 + 3 + 1)
        }
        let each = tasks / 2 * rounds
        for command in ["call_consult", "call_hold", "call_unhold"] {
            for outcome in ["ok", "error_reply"] {
                let calls = try metrics.expectCounter(
                    "ecss.client.calls", [("ecss.command", command), ("ecss.outcome", outcome)])
                XCTAssertEqual(calls.totalValue, Int64(each), "\(command) \(outcome)")
            }
            let replies = try metrics.expectCounter(
                "ecss.client.error_replies", [("ecss.command", command), ("ecss.error.reason", "cannot_perform_cmd")])
            XCTAssertEqual(replies.totalValue, Int64(each), command)
            let timer = try metrics.expectTimer("ecss.client.call.duration", [("ecss.command", command)])
            XCTAssertEqual(timer.values.count, 2 * each, command)
        }
        XCTAssertEqual(metrics.counters(label: "ecss.client.calls").count, 6)
        XCTAssertEqual(try metrics.expectCounter("ecss.client.logins", [("ecss.outcome", "ok")]).totalValue, 1)
    }
}
