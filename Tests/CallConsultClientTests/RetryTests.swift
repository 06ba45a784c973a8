import AsyncHTTPClient
import CallConsultKit
import NIOCore
import NIOPosix
import NIOSSL
import XCTest

@testable import CallConsultClient

/// The retry policy: only failures in which nothing was sent are tried again, always inside the
/// call's one deadline, and a cancellation ends the wait at once.
final class RetryTests: XCTestCase {
    /// A port that was listened on and is closed now: connecting to it is refused.
    private func closedPort() async throws -> Int {
        try await TestServer.withServer(handler: TestServer.always(.close)) { $0.port }
    }

    private func client(port: Int, timeout: Duration, retryPolicy: ECSSClient.RetryPolicy) throws -> ECSSClient {
        try ECSSClient(
            configuration: .init(
                baseURL: "http://127.0.0.1:\(port)", domain: testDomain, credentials: testCredentials, timeout: timeout,
                retryPolicy: retryPolicy))
    }

    func testTheWaitBeforeEachRetryIsBetweenHalfAndAllOfTheDoubledBaseUpToTheCap() {
        let policy = ECSSClient.RetryPolicy.jitter(maxRetries: 10)
        XCTAssertEqual(policy.base, .milliseconds(500))
        XCTAssertEqual(policy.cap, .seconds(8))
        let longest: [Duration] = [
            .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8), .seconds(8),
        ]
        for (index, expected) in longest.enumerated() {
            let retry = index + 1
            XCTAssertEqual(policy.longestWait(beforeRetry: retry), expected, "retry \(retry)")
            XCTAssertEqual(policy.wait(beforeRetry: retry, random: { 0 }), expected / 2, "retry \(retry)")
            XCTAssertEqual(policy.wait(beforeRetry: retry, random: { 1 }), expected, "retry \(retry)")
            for _ in 0..<50 {
                let wait = policy.wait(beforeRetry: retry)
                XCTAssertTrue(wait >= expected / 2 && wait <= expected, "retry \(retry): \(wait)")
            }
        }
        XCTAssertEqual(policy.longestWait(beforeRetry: 10_000), .seconds(8), "no overflow")
        XCTAssertEqual(ECSSClient.RetryPolicy.noRetry.maxRetries, 0)
        XCTAssertEqual(
            ECSSClient.Configuration(baseURL: "http://h", domain: "d", credentials: testCredentials).retryPolicy, .noRetry)
    }

    func testAnUnusablePolicyIsAnInvalidConfiguration() {
        for policy in [
            ECSSClient.RetryPolicy(maxRetries: -1, base: .seconds(1), cap: .seconds(2)),
            .jitter(maxRetries: 1, base: .zero),
            .jitter(maxRetries: 1, base: .seconds(2), cap: .seconds(1)),
        ] {
            XCTAssertThrowsError(try client(port: 1, timeout: .seconds(1), retryPolicy: policy)) { error in
                XCTAssertEqual((error as? ECSSClientError)?.kind, .invalidConfiguration, "\(policy)")
            }
        }
    }

    func testARefusedConnectionWithThePolicyOffIsATransportFailureAtOnce() async throws {
        let port = try await closedPort()
        let client = try client(port: port, timeout: .seconds(10), retryPolicy: .noRetry)
        let start = ContinuousClock.now
        let error = await assertClientError { try await client.callConsult(sampleRequest) }
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(3), "not the whole timeout")
        XCTAssertEqual(error?.kind, .transport, "\(String(describing: error))")
        XCTAssertEqual(error?.mayHaveBeenDelivered, false)
        XCTAssertEqual(error?.attempts, 1)
        XCTAssertEqual(error?.message, "login: could not connect to http://127.0.0.1:\(port): connection refused")
        XCTAssertFalse("\(String(describing: error))".contains("connection reset"))
    }

    func testAServerThatStartsListeningLateIsReachedWithinTheDeadlineAndSentOnce() async throws {
        let port = try await closedPort()
        let client = try client(
            port: port, timeout: .seconds(10),
            retryPolicy: .jitter(maxRetries: 50, base: .milliseconds(50), cap: .milliseconds(200)))
        let start = ContinuousClock.now
        let call = Task { try await client.callConsult(sampleRequest) }
        try await Task.sleep(for: .milliseconds(600))
        let handler = FakeECSS.handler { _ in .respond(.ok, FakeECSS.xml, FakeECSS.ok) }
        try await TestServer.withServer(port: port, handler: handler) { server in
            let response = try await call.value
            XCTAssertEqual(response, .ok)
            XCTAssertEqual(FakeECSS.requests(server, "call_consult").count, 1, "sent once")
            XCTAssertEqual(FakeECSS.requests(server, "login").count, 1)
        }
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(10))
    }

    func testRetriesNeverOutliveTheDeadline() async throws {
        let port = try await closedPort()
        let client = try client(
            port: port, timeout: .milliseconds(800),
            retryPolicy: .jitter(maxRetries: 1000, base: .milliseconds(40), cap: .milliseconds(160)))
        let start = ContinuousClock.now
        let error = await assertClientError { try await client.callConsult(sampleRequest) }
        let elapsed = ContinuousClock.now - start
        XCTAssertLessThan(elapsed, .milliseconds(1300), "the deadline bounds every attempt and wait")
        // The call stops once the next wait would end after the deadline: with the last failure,
        // or (when an attempt was under way at the deadline) a timeout.
        XCTAssertTrue([ECSSClientError.Kind.transport, .timeout].contains(error?.kind), "\(String(describing: error))")
        XCTAssertEqual(error?.mayHaveBeenDelivered, false)
        XCTAssertGreaterThan(error?.attempts ?? 0, 2)
        XCTAssertTrue(error?.previousAttempts.allSatisfy { $0.kind == .transport && !$0.mayHaveBeenDelivered } ?? false)
        XCTAssertTrue("\(String(describing: error))".contains("attempts, earlier ones failed before sending"))
    }

    func testCancellationStopsTheBackoffAtOnce() async throws {
        let port = try await closedPort()
        let client = try client(
            port: port, timeout: .seconds(60), retryPolicy: .jitter(maxRetries: 5, base: .seconds(20), cap: .seconds(20)))
        let start = ContinuousClock.now
        let call = Task { try await client.callConsult(sampleRequest) }
        try await Task.sleep(for: .milliseconds(300))  // the first attempt failed; the wait is 10–20 s
        call.cancel()
        await assertCancelled(call)
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(3))
    }

    func testAFailureAfterTheRequestWasWrittenIsNeverRetried() async throws {
        let cases: [(String, TestServer.Action, ECSSClientError.Kind)] = [
            ("503", .respond(.serviceUnavailable, [("Content-Type", "text/plain")], Array("busy".utf8)), .unexpectedStatus),
            ("reset", .reset, .transport),
            ("close", .close, .transport),
            ("stall", .stall, .timeout),
            ("stall after head", .stallAfterHead(.ok, FakeECSS.xml, Array("<out>".utf8)), .timeout),
        ]
        for (name, action, kind) in cases {
            let handler = FakeECSS.handler { _ in action }
            try await TestServer.withServer(handler: handler) { server in
                let client = try client(
                    port: server.port, timeout: .milliseconds(700),
                    retryPolicy: .jitter(maxRetries: 5, base: .milliseconds(10), cap: .milliseconds(20)))
                let error = await assertClientError { try await client.callConsult(sampleRequest) }
                XCTAssertEqual(error?.kind, kind, "\(name): \(String(describing: error))")
                XCTAssertEqual(error?.mayHaveBeenDelivered, true, name)
                XCTAssertEqual(error?.attempts, 1, name)
                XCTAssertEqual(FakeECSS.requests(server, "call_consult").count, 1, "\(name): sent exactly once")
            }
        }
    }

    func testARefusedLoginIsNotRetried() async throws {
        let handler = TestServer.always(.respond(.forbidden, [("Content-Type", "text/plain")], Array("Invalid".utf8)))
        try await TestServer.withServer(handler: handler) { server in
            let client = try client(
                port: server.port, timeout: .seconds(2),
                retryPolicy: .jitter(maxRetries: 5, base: .milliseconds(10), cap: .milliseconds(20)))
            let error = await assertClientError { try await client.callConsult(sampleRequest) }
            XCTAssertEqual(error?.kind, .authentication)
            XCTAssertEqual(error?.attempts, 1)
            XCTAssertEqual(server.requests.count, 1)
        }
    }

    func testOnlyErrorsThatConnectingAloneProducesProveThatNothingWasSent() {
        let unsent: [any Error] = [
            HTTPClientError.connectTimeout, HTTPClientError.tlsHandshakeTimeout, HTTPClientError.getConnectionFromPoolTimeout,
            ChannelError.connectTimeout(.seconds(1)), NIOSSLError.handshakeFailed(.sslError([])),
            SocketAddressError.unknown(host: "h", port: 1),
            IOError(errnoCode: ECONNREFUSED, reason: "connection reset (error set)"),
        ]
        for error in unsent {
            XCTAssertTrue(TransportFailure.happenedBeforeSending(error, bodyWasRead: false), "\(error)")
            XCTAssertFalse(TransportFailure.happenedBeforeSending(error, bodyWasRead: true), "\(error): the head was written")
        }
        let maybeSent: [any Error] = [
            HTTPClientError.remoteConnectionClosed, HTTPClientError.readTimeout, HTTPClientError.deadlineExceeded,
            HTTPClientError.cancelled, NIOSSLError.uncleanShutdown, IOError(errnoCode: ECONNRESET, reason: "read"),
            IOError(errnoCode: ETIMEDOUT, reason: "read"), IOError(errnoCode: EHOSTUNREACH, reason: "write"),
            IOError(errnoCode: EPIPE, reason: "write"), ChannelError.ioOnClosedChannel,
        ]
        for error in maybeSent {
            XCTAssertFalse(TransportFailure.happenedBeforeSending(error, bodyWasRead: false), "\(error)")
        }
    }

    func testTheOwnBodyIsNotReadBeforeAsyncHTTPClientWritesTheHead() throws {
        let body = RequestBody(Array("<in/>".utf8))
        var request = HTTPClientRequest(url: "http://127.0.0.1:1/")
        request.body = .bytes(body, length: .known(5))
        XCTAssertFalse(body.wasRead, "AsyncHTTPClient makes the buffer only when it writes the body")
        XCTAssertEqual(ByteBufferAllocator().buffer(bytes: body), ByteBuffer(string: "<in/>"))
        XCTAssertTrue(body.wasRead)
        let oneShot = OneShotBody(Array("<in/>".utf8))
        XCTAssertFalse(oneShot.wasRead)
    }
}
