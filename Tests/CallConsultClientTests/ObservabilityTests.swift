import AsyncHTTPClient
import CallConsultKit
import InMemoryTracing
import Metrics
import MetricsTestKit
import NIOPosix
import Tracing
import XCTest

@testable import CallConsultClient

/// The client's metrics and spans, against swift-metrics' and swift-distributed-tracing's test
/// backends, bound to the task that creates the client (nothing is bootstrapped).
final class ObservabilityTests: XCTestCase {
    private let secrets = [testCredentials.apiKey, sessionCookieValue]

    /// Every label, dimension name and value of `metrics`.
    private func texts(of metrics: TestMetrics) -> [String] {
        metrics.counters.flatMap { [$0.label] + $0.dimensions.flatMap { [$0.0, $0.1] } }
            + metrics.timers.flatMap { [$0.label] + $0.dimensions.flatMap { [$0.0, $0.1] } }
    }

    func testANoOpBackendMakesNoInstruments() throws {
        let client = try ECSSClient(
            configuration: .init(baseURL: "http://127.0.0.1:1", domain: "d", credentials: testCredentials))
        XCTAssertNil(client.instruments.metrics)
        XCTAssertNil(client.instruments.tracer)
        XCTAssertTrue(client.instruments.areOff)
    }

    func testCallsAreCountedByCommandAndOutcomeAndTimed() async throws {
        let metrics = TestMetrics()
        let handler = FakeECSS.handler(
            firstCommand: .respond(.ok, FakeECSS.xml, FakeECSS.ok), then: .respond(.forbidden, FakeECSS.xml, FakeECSS.refused))
        try await TestServer.withServer(handler: handler) { server in
            let client = try withMetricsFactory(metrics) { try FakeECSS.client(server) }
            let first = try await client.callConsult(sampleRequest)
            XCTAssertEqual(first, .ok)
            _ = try await client.callConsult(sampleRequest)
            _ = try await client.callHold(CallHoldRequest(conversationID: "c1"))
        }
        let ok = try metrics.expectCounter("ecss.client.calls", [("ecss.command", "call_consult"), ("ecss.outcome", "ok")])
        XCTAssertEqual(ok.totalValue, 1)
        let refused = try metrics.expectCounter(
            "ecss.client.calls", [("ecss.command", "call_consult"), ("ecss.outcome", "error_reply")])
        XCTAssertEqual(refused.totalValue, 1)
        let hold = try metrics.expectCounter(
            "ecss.client.calls", [("ecss.command", "call_hold"), ("ecss.outcome", "error_reply")])
        XCTAssertEqual(hold.totalValue, 1)
        let reason = try metrics.expectCounter(
            "ecss.client.error_replies", [("ecss.command", "call_consult"), ("ecss.error.reason", "cannot_perform_cmd")])
        XCTAssertEqual(reason.totalValue, 1)
        let timer = try metrics.expectTimer("ecss.client.call.duration", [("ecss.command", "call_consult")])
        XCTAssertEqual(timer.values.count, 2)
        XCTAssertEqual(timer.displayUnit, .seconds)
        XCTAssertTrue(timer.values.allSatisfy { $0 > 0 })
        XCTAssertEqual(try metrics.expectCounter("ecss.client.logins", [("ecss.outcome", "ok")]).totalValue, 1)
        XCTAssertTrue(metrics.counters(label: "ecss.client.relogins").isEmpty)
        XCTAssertTrue(metrics.counters(label: "ecss.client.retries").isEmpty)
        for text in texts(of: metrics) {
            for secret in secrets { XCTAssertFalse(text.contains(secret), text) }
        }
    }

    func testReloginsFailuresAndRetriesAreCounted() async throws {
        let metrics = TestMetrics()
        let lost = TestServer.Action.respond(.unauthorized, [("Content-Type", "text/plain")], Array("expired".utf8))
        let handler = FakeECSS.handler(firstCommand: lost, then: .respond(.serviceUnavailable, [], Array("busy".utf8)))
        try await TestServer.withServer(handler: handler) { server in
            let client = try withMetricsFactory(metrics) { try FakeECSS.client(server) }
            let error = await assertClientError { try await client.callConsult(sampleRequest) }
            XCTAssertEqual(error?.kind, .unexpectedStatus)
        }
        XCTAssertEqual(try metrics.expectCounter("ecss.client.relogins", [("ecss.command", "call_consult")]).totalValue, 1)
        XCTAssertEqual(try metrics.expectCounter("ecss.client.logins", [("ecss.outcome", "ok")]).totalValue, 2)
        XCTAssertEqual(
            try metrics.expectCounter(
                "ecss.client.calls", [("ecss.command", "call_consult"), ("ecss.outcome", "unexpected_status")]
            ).totalValue, 1)

        let port = try await TestServer.withServer(handler: TestServer.always(.close)) { $0.port }
        let configuration = ECSSClient.Configuration(
            baseURL: "http://127.0.0.1:\(port)", domain: testDomain, credentials: testCredentials,
            timeout: .milliseconds(500), retryPolicy: .jitter(maxRetries: 2, base: .milliseconds(10), cap: .milliseconds(20)))
        let client = try withMetricsFactory(metrics) { try ECSSClient(configuration: configuration) }
        let error = await assertClientError { try await client.callHold(CallHoldRequest(conversationID: "c1")) }
        XCTAssertEqual(error?.attempts, 3)
        XCTAssertEqual(
            try metrics.expectCounter("ecss.client.retries", [("ecss.command", "call_hold"), ("error.type", "transport")])
                .totalValue, 2)
        XCTAssertEqual(try metrics.expectCounter("ecss.client.logins", [("ecss.outcome", "transport")]).totalValue, 3)
        XCTAssertEqual(
            try metrics.expectCounter("ecss.client.calls", [("ecss.command", "call_hold"), ("ecss.outcome", "transport")])
                .totalValue, 1)
    }

    func testAReasonThatIsNotAShortTokenIsOther() {
        XCTAssertEqual(Instruments.boundedReason("cannot_perform_cmd"), "cannot_perform_cmd")
        XCTAssertEqual(Instruments.boundedReason("API-KEY-0f9e8d7c"), "other")
        XCTAssertEqual(Instruments.boundedReason(String(repeating: "a", count: 65)), "other")
        XCTAssertEqual(Instruments.boundedReason(""), "other")
    }

    func testEachCallIsOneSpanWithTheHTTPClientsSpansAsChildren() async throws {
        let tracer = InMemoryTracer()
        var configuration = HTTPClient.Configuration()
        configuration.tracing.tracer = tracer
        let httpClient = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        let outcome: Result<Void, any Error>
        do {
            let handler = FakeECSS.handler(
                firstCommand: .respond(.ok, FakeECSS.xml, FakeECSS.ok), then: .respond(.forbidden, FakeECSS.xml, FakeECSS.refused)
            )
            try await TestServer.withServer(handler: handler) { server in
                let client = try withTracer(tracer) { try FakeECSS.client(server, httpClient: httpClient) }
                let first = try await client.callConsult(sampleRequest)
                XCTAssertEqual(first, .ok)
                _ = try await client.callConsult(sampleRequest)
            }
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        try await httpClient.shutdown()
        try outcome.get()

        let spans = tracer.finishedSpans
        let calls = spans.filter { $0.operationName == "ecss.call_consult" }
        XCTAssertEqual(calls.count, 2, "\(spans.map(\.operationName))")
        guard calls.count == 2 else { return }
        let first = calls[0]
        XCTAssertEqual(first.kind, .client)
        XCTAssertEqual(first.attributes.get("ecss.command"), .string("call_consult"))
        XCTAssertEqual(first.attributes.get("ecss.domain"), .string(testDomain))
        XCTAssertEqual(first.attributes.get("ecss.outcome"), .string("ok"))
        XCTAssertEqual(first.attributes.get("http.response.status_code"), .int64(200))
        XCTAssertEqual(first.attributes.get("ecss.attempts"), .int64(1))
        XCTAssertEqual(first.attributes.get("ecss.may_have_been_delivered"), .bool(true))
        XCTAssertEqual(calls[1].attributes.get("ecss.outcome"), .string("error_reply"))
        XCTAssertEqual(calls[1].attributes.get("ecss.error.reason"), .string("cannot_perform_cmd"))
        XCTAssertEqual(calls[1].attributes.get("http.response.status_code"), .int64(403))
        // The login and the command of the first call, and the command of the second.
        let children = spans.filter { $0.operationName == "POST" }
        XCTAssertEqual(children.count, 3, "\(spans.map(\.operationName))")
        XCTAssertEqual(children.filter { $0.parentSpanID == first.spanID }.count, 2)
        XCTAssertEqual(children.filter { $0.parentSpanID == calls[1].spanID }.count, 1)
        for span in spans {
            // SpanAttributes is not a Sequence: forEach is its only walk.
            // swift-format-ignore: ReplaceForEachWithForLoop
            span.attributes.forEach { name, value in
                for secret in secrets { XCTAssertFalse("\(name)=\(value)".contains(secret), "\(span.operationName): \(name)") }
            }
        }
    }

    func testAFailedCallsSpanSaysWhetherItMayHaveBeenDeliveredAndHowManyAttempts() async throws {
        let tracer = InMemoryTracer()
        let port = try await TestServer.withServer(handler: TestServer.always(.close)) { $0.port }
        let configuration = ECSSClient.Configuration(
            baseURL: "http://127.0.0.1:\(port)", domain: testDomain, credentials: testCredentials,
            timeout: .milliseconds(500), retryPolicy: .jitter(maxRetries: 1, base: .milliseconds(10), cap: .milliseconds(20)))
        let client = try withTracer(tracer) { try ECSSClient(configuration: configuration) }
        _ = await assertClientError { try await client.callHold(CallHoldRequest(conversationID: "c1")) }
        let span = try XCTUnwrap(tracer.finishedSpans.first { $0.operationName == "ecss.call_hold" })
        XCTAssertEqual(span.attributes.get("ecss.outcome"), .string("transport"))
        XCTAssertEqual(span.attributes.get("error.type"), .string("transport"))
        XCTAssertEqual(span.attributes.get("ecss.attempts"), .int64(2))
        XCTAssertEqual(span.attributes.get("ecss.may_have_been_delivered"), .bool(false))
        XCTAssertNil(span.attributes.get("http.response.status_code"))
        XCTAssertEqual(span.errors.count, 1)
    }
}
