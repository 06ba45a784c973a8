import CallConsultProxy
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import XCTest

/// The upstream down, answering garbage, or silent: 502 and 504, and the proxy keeps serving.
final class ProxyUpstreamFailureTests: XCTestCase {
    private func run(
        upstreamPort: Int, timeout: Duration = .seconds(5), requests: Int = 2
    ) async throws -> (answers: [RawAnswer], exchanges: [ECSSProxy.Exchange]) {
        let configuration = ECSSProxy.Configuration(
            upstream: try XCTUnwrap(URL(string: "http://127.0.0.1:\(upstreamPort)")), port: 0, upstreamTimeout: timeout)
        let seen = ExchangeBox()
        let answers = try await ECSSProxy.withRunning(configuration: configuration, onExchange: seen.append) { _, port in
            var answers: [RawAnswer] = []
            for _ in 0..<requests {
                answers.append(
                    try await ProxyTest.send(ProxyTest.url("http://127.0.0.1:\(port)", "call_hold"), body: ProxyTest.hold))
            }
            return answers
        }
        return (answers, seen.all)
    }

    func testUpstreamDownIs502WithAReason() async throws {
        // A port that was just free: nothing listens on it.
        let probe = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = try XCTUnwrap(probe.localAddress?.port)
        try await probe.close().get()
        let (answers, exchanges) = try await run(upstreamPort: port)
        XCTAssertEqual(answers.map(\.status), [502, 502], "and it keeps serving")
        XCTAssertTrue(answers[0].text.hasPrefix("the upstream could not be reached"), answers[0].text)
        XCTAssertEqual(answers[0].headers.first { $0.0.lowercased() == "content-type" }?.1, "text/plain; charset=utf-8")
        XCTAssertEqual(exchanges.map { $0.failure?.kind }, [.upstreamUnreachable, .upstreamUnreachable])
        XCTAssertEqual(exchanges.map(\.requestValid), [true, true])
        XCTAssertEqual(exchanges.map(\.responseValid), [nil, nil])
    }

    func testGarbageIs502() async throws {
        let upstream = try await TestUpstream(.garbage)
        let (answers, exchanges) = try await run(upstreamPort: upstream.port)
        await upstream.close()
        XCTAssertEqual(answers.map(\.status), [502, 502])
        XCTAssertEqual(exchanges.map { $0.failure?.kind }, [.upstreamGarbage, .upstreamGarbage])
        XCTAssertTrue(answers[0].text.contains("not HTTP"), answers[0].text)
    }

    func testSilenceIs504AfterTheTimeout() async throws {
        let upstream = try await TestUpstream(.silent)
        let started = ContinuousClock.now
        let (answers, exchanges) = try await run(upstreamPort: upstream.port, timeout: .milliseconds(300))
        let elapsed = ContinuousClock.now - started
        await upstream.close()
        XCTAssertEqual(answers.map(\.status), [504, 504])
        XCTAssertEqual(exchanges.map { $0.failure?.kind }, [.upstreamTimeout, .upstreamTimeout])
        XCTAssertTrue(answers[0].text.hasPrefix("the upstream did not answer within"), answers[0].text)
        XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(600))
        XCTAssertLessThan(elapsed, .seconds(10))
        XCTAssertGreaterThanOrEqual(exchanges[0].duration, .milliseconds(300))
    }
}

/// Exchanges reported from the proxy's tasks.
final class ExchangeBox: Sendable {
    private let box = NIOLockedValueBox<[ECSSProxy.Exchange]>([])
    var all: [ECSSProxy.Exchange] { box.withLockedValue { $0 } }
    @Sendable func append(_ exchange: ECSSProxy.Exchange) { box.withLockedValue { $0.append(exchange) } }
}
