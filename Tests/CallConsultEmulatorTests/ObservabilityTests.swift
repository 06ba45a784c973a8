import CallConsultKit
import InMemoryTracing
import Logging
import Metrics
import MetricsTestKit
import Tracing
import XCTest

@testable import CallConsultEmulator

/// The emulator's metrics and spans, against swift-metrics' and swift-distributed-tracing's test
/// backends bound to the task that creates and runs it (nothing is bootstrapped).
final class ObservabilityTests: XCTestCase {
    private static let quiet = Logger(label: "emulator", factory: { _ in SwiftLogNoOpLogHandler() })
    private static let hold = #"<in><request><call_hold conversation_id="c-1"/></request></in>"#

    /// Logs in, sends an ok call_consult, a call_hold without a session, a call_hold a stub
    /// answers 503, and a request to an unknown path; returns the session cookie.
    private static func traffic(_ running: ECSSEmulator.Running) async throws -> String {
        let http = EmulatorHTTP(running: running)
        let cookie = try await http.login()
        let consult = try await http.send("call_consult", body: Fixtures.consult(), cookie: cookie)
        XCTAssertEqual(consult.status, 200)
        let lost = try await http.send("call_hold", body: Self.hold)
        XCTAssertEqual(lost.status, 403)
        try running.emulator.addStub(.init(command: .callHold, fault: .http(status: 503), times: 1))
        let faulted = try await http.send("call_hold", body: Self.hold, cookie: cookie)
        XCTAssertEqual(faulted.status, 503)
        let unknown = try await http.send(path: "/secret-looking/path", body: nil)
        XCTAssertEqual(unknown.status, 404)
        return cookie
    }

    func testWithoutABackendThereAreNoInstrumentsAndNoMiddleware() async throws {
        let emulator = ECSSEmulator(configuration: Fixtures.configuration(), logger: Self.quiet)
        XCTAssertTrue(emulator.instruments.areOff)
        let responder = InstrumentedResponder(emulator: emulator)
        XCTAssertNil(responder.tracing)
        XCTAssertNil(responder.metrics)
    }

    func testExchangesAreCountedByCommandAndOutcomeAndRequestsByRouteShape() async throws {
        let metrics = TestMetrics()
        let cookie = try await withMetricsFactory(metrics) {
            try await ECSSEmulator.withRunning(configuration: Fixtures.configuration(), logger: Self.quiet) { running in
                XCTAssertNotNil(running.emulator.instruments.metrics)
                return try await Self.traffic(running)
            }
        }
        let exchanges: [(String, String)] = [
            ("login", "logged_in"), ("call_consult", "ok"), ("call_hold", "refused.no_session"),
            ("call_hold", "fault.http"), ("other", "refused.unknown_path"),
        ]
        for (command, outcome) in exchanges {
            let counter = try metrics.expectCounter(
                "ecss.emulator.exchanges", [("ecss.command", command), ("ecss.outcome", outcome)])
            XCTAssertEqual(counter.totalValue, 1, "\(command) \(outcome)")
        }
        XCTAssertEqual(metrics.counters(label: "ecss.emulator.exchanges").count, exchanges.count)
        let requests = metrics.counters(label: "hb.requests")
        let routes = Set(requests.compactMap { $0.dimensions.first { $0.0 == "http.route" }?.1 })
        XCTAssertEqual(
            routes,
            [
                "/{domain}/service/cc/arm/login", "/{domain}/service/cc/arm/call_consult", "/{domain}/service/cc/arm/call_hold",
                "Unknown",
            ])
        XCTAssertFalse(metrics.timers(label: "http.server.request.duration").isEmpty)
        let texts =
            metrics.counters.flatMap { [$0.label] + $0.dimensions.flatMap { [$0.0, $0.1] } }
            + metrics.timers.flatMap { [$0.label] + $0.dimensions.flatMap { [$0.0, $0.1] } }
        for text in texts {
            XCTAssertFalse(text.contains(Fixtures.credentials.apiKey), text)
            XCTAssertFalse(text.contains(cookie.split(separator: "=").last.map(String.init) ?? cookie), text)
            XCTAssertFalse(text.contains("secret-looking"), "a path a client sent: \(text)")
            XCTAssertFalse(text.contains("example.domain"), "the domain is not a dimension: \(text)")
        }
    }

    func testEachExchangeCounterIsMadeOnceAndCountsExactly() async throws {
        let metrics = TestMetrics()
        try await withMetricsFactory(metrics) {
            try await ECSSEmulator.withRunning(configuration: Fixtures.configuration(), logger: Self.quiet) { running in
                let http = EmulatorHTTP(running: running)
                let cookie = try await http.login()
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    for _ in 0..<8 {
                        tasks.addTask {
                            for _ in 0..<5 {
                                _ = try await http.send("call_consult", body: Fixtures.consult(), cookie: cookie)
                                _ = try await http.send("call_hold", body: Self.hold)
                            }
                        }
                    }
                    try await tasks.waitForAll()
                }
                XCTAssertEqual(running.emulator.instruments.exchanges?.count, 3, "login, ok, refused: one counter each")
            }
        }
        let ok = try metrics.expectCounter("ecss.emulator.exchanges", [("ecss.command", "call_consult"), ("ecss.outcome", "ok")])
        XCTAssertEqual(ok.totalValue, 40)
        let refused = try metrics.expectCounter(
            "ecss.emulator.exchanges", [("ecss.command", "call_hold"), ("ecss.outcome", "refused.no_session")])
        XCTAssertEqual(refused.totalValue, 40)
    }

    func testEveryRequestHasASpanNamedByTheRouteShapeWithoutSecrets() async throws {
        let tracer = InMemoryTracer()
        let cookie = try await withTracer(tracer) {
            try await ECSSEmulator.withRunning(configuration: Fixtures.configuration(), logger: Self.quiet) { running in
                XCTAssertNil(running.emulator.instruments.metrics)
                return try await Self.traffic(running)
            }
        }
        // The server's spans; AsyncHTTPClient, which sends the requests in the same task, adds its own.
        let spans = tracer.finishedSpans.filter { $0.kind == .server }
        XCTAssertEqual(
            spans.map(\.operationName).sorted(),
            [
                "/{domain}/service/cc/arm/call_consult", "/{domain}/service/cc/arm/call_hold",
                "/{domain}/service/cc/arm/call_hold", "/{domain}/service/cc/arm/login",
                "HTTP POST route not found",
            ].sorted())
        XCTAssertEqual(spans.filter { $0.attributes["http.response.status_code"] != nil }.count, 5)
        let cookieValue = cookie.split(separator: "=").last.map(String.init) ?? cookie
        for span in spans {
            let text = "\(span.operationName) \(span.attributes)"
            XCTAssertFalse(text.contains(Fixtures.credentials.apiKey), text)
            XCTAssertFalse(text.contains(cookieValue), text)
        }
    }

    func testTheMetricsExpositionIsServedBesideTheDataPlaneAndIsNoExchange() async throws {
        var configuration = Fixtures.configuration()
        configuration.metricsExposition = .init { Array("ecss_emulator_exchanges 1\n".utf8) }
        try await ECSSEmulator.withRunning(configuration: configuration, logger: Self.quiet) { running in
            let http = EmulatorHTTP(running: running)
            let page = try await http.send(path: "/metrics", body: nil, method: .GET)
            XCTAssertEqual(page.status, 200)
            XCTAssertEqual(page.contentType, "text/plain; version=0.0.4; charset=utf-8")
            XCTAssertEqual(page.body, "ecss_emulator_exchanges 1\n")
            let post = try await http.send(path: "/metrics", body: "x", method: .POST)
            XCTAssertEqual(post.status, 405)
            XCTAssertTrue(running.exchanges.isEmpty, "not an exchange")
        }
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration(), logger: Self.quiet) { running in
            let page = try await EmulatorHTTP(running: running).send(path: "/metrics", body: nil, method: .GET)
            XCTAssertEqual(page.status, 404)
        }
    }
}
