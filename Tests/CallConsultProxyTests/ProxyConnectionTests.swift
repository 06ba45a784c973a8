import CallConsultProxy
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import XCTest

/// The connections behind the proxy: one keep-alive upstream connection per client connection,
/// reopened when the upstream closes it; pipelined requests answered in order; the connection limit.
final class ProxyConnectionTests: XCTestCase {
    private func configuration(
        _ upstream: TestUpstream, maxConnections: Int = 64, idleTimeout: Duration? = .seconds(30)
    ) throws -> ECSSProxy.Configuration {
        ECSSProxy.Configuration(
            upstream: try XCTUnwrap(URL(string: "http://127.0.0.1:\(upstream.port)")), port: 0,
            maxConnectionsPerUpstream: maxConnections, idleTimeout: idleTimeout)
    }

    func testOneClientConnectionIsForwardedOnOneUpstreamConnection() async throws {
        let upstream = try await TestUpstream(.echo)
        let answers = try await ECSSProxy.withRunning(configuration: try configuration(upstream)) { _, port in
            try await RawClient.exchange(port: port, targets: ["/a", "/b", "/c", "/d"], pipelined: false)
        }
        let connections = upstream.connections
        await upstream.close()
        XCTAssertEqual(answers.map(\.status), [202, 202, 202, 202])
        XCTAssertEqual(
            answers.map { $0.text.split(separator: "\n").first.map(String.init) }, ["GET /a", "GET /b", "GET /c", "GET /d"])
        XCTAssertEqual(connections, 1, "kept alive and reused")
    }

    func testPipelinedRequestsAreAnsweredInOrder() async throws {
        let upstream = try await TestUpstream(.echo)
        let seen = ExchangeBox()
        let answers = try await ECSSProxy.withRunning(configuration: try configuration(upstream), onExchange: seen.append) {
            _, port in
            try await RawClient.exchange(port: port, targets: ["/1", "/2", "/3", "/4", "/5"], pipelined: true)
        }
        await upstream.close()
        XCTAssertEqual(answers.map { $0.text.split(separator: "\n").first.map(String.init) }, (1...5).map { "GET /\($0)" })
        XCTAssertEqual(seen.all.map(\.path), (1...5).map { "/\($0)" })
    }

    func testAnUpstreamThatClosesAfterEachAnswerIsReconnected() async throws {
        let upstream = try await TestUpstream(.echoClosing)
        let answers = try await ECSSProxy.withRunning(configuration: try configuration(upstream)) { _, port in
            try await RawClient.exchange(port: port, targets: ["/a", "/b", "/c"], pipelined: false)
        }
        let connections = upstream.connections
        await upstream.close()
        XCTAssertEqual(answers.map(\.status), [202, 202, 202])
        XCTAssertFalse(answers[0].headers.contains { $0.0.lowercased() == "connection" }, "hop-by-hop, not passed on")
        XCTAssertEqual(connections, 3)
    }

    func testAGracefulShutdownLetsTheExchangeInFlightFinish() async throws {
        let upstream = try await TestUpstream(.silent)
        var configuration = try configuration(upstream)
        configuration.upstreamTimeout = .milliseconds(400)
        let seen = ExchangeBox()
        let started = ContinuousClock.now
        let request = try await ECSSProxy.withRunning(configuration: configuration, onExchange: seen.append) { _, port in
            let request = Task { try await RawClient.exchange(port: port, targets: ["/slow"], pipelined: false) }
            try await Task.sleep(for: .milliseconds(100))
            return request
        }
        let stopped = ContinuousClock.now - started
        let answers = try await request.value
        await upstream.close()
        XCTAssertEqual(answers.map(\.status), [504], "answered before the proxy stopped")
        XCTAssertEqual(seen.all.map { $0.failure?.kind }, [.upstreamTimeout])
        XCTAssertGreaterThanOrEqual(stopped, .milliseconds(400))
    }

    func testAClientOverTheConnectionLimitWaitsForOneToClose() async throws {
        let upstream = try await TestUpstream(.echo)
        try await ECSSProxy.withRunning(configuration: try configuration(upstream, maxConnections: 1)) { _, port in
            let first = try await RawClient.connect(port: port)
            _ = try await first.exchange(targets: ["/first"], pipelined: false)
            let second = Task { try await RawClient.exchange(port: port, targets: ["/second"], pipelined: false) }
            try await Task.sleep(for: .milliseconds(300))
            XCTAssertEqual(upstream.connections, 1, "the second client is not served yet")
            try await first.close()
            let answers = try await second.value
            XCTAssertEqual(answers.map(\.status), [202])
        }
        await upstream.close()
    }

    func testAnIdleClientIsClosedAfterTheIdleTimeoutAndFreesItsPlace() async throws {
        let upstream = try await TestUpstream(.echo)
        let configuration = try configuration(upstream, maxConnections: 1, idleTimeout: .milliseconds(300))
        try await ECSSProxy.withRunning(configuration: configuration) { _, port in
            let idle = try await RawClient.connect(port: port)
            _ = try await idle.exchange(targets: ["/first"], pipelined: false)
            // The only place is held by a silent keep-alive client, until its idle timeout.
            let started = ContinuousClock.now
            // Without the idle timeout the second client would wait for ever: the watchdog closes
            // the idle one after 5 s, and the test fails.
            let watchdogFired = NIOLockedValueBox(false)
            let watchdog = Task {
                try await Task.sleep(for: .seconds(5))
                watchdogFired.withLockedValue { $0 = true }
                try await idle.close()
            }
            let answers = try await RawClient.exchange(port: port, targets: ["/second"], pipelined: false)
            watchdog.cancel()
            XCTAssertFalse(watchdogFired.withLockedValue { $0 }, "the idle client was not closed by the idle timeout")
            XCTAssertEqual(answers.map(\.status), [202])
            XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .milliseconds(250))
            // The second client got the place: the idle one was closed by the proxy.
            try await idle.closed()
        }
        await upstream.close()
    }

    func testARequestWaitingForTheUpstreamIsNotCutByTheIdleTimeout() async throws {
        let upstream = try await TestUpstream(.delayed(.milliseconds(600)))
        let configuration = try configuration(upstream, idleTimeout: .milliseconds(200))
        let answers = try await ECSSProxy.withRunning(configuration: configuration) { _, port in
            try await RawClient.exchange(port: port, targets: ["/slow"], pipelined: false)
        }
        await upstream.close()
        XCTAssertEqual(answers.map(\.status), [202])
    }
}

/// A bare HTTP/1.1 client on one connection, which can pipeline.
final class RawClient: Sendable {
    private let channel: any Channel
    private let collector: NIOLoopBound<Collector>

    private init(channel: any Channel, collector: NIOLoopBound<Collector>) {
        self.channel = channel
        self.collector = collector
    }

    static func connect(port: Int) async throws -> RawClient {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let channel = try await ClientBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(Collector())
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let collector = try await loop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: Collector.self), eventLoop: loop)
        }.get()
        return RawClient(channel: channel, collector: collector)
    }

    /// Connects, sends a `GET` for each target (all at once when `pipelined`, else each after the
    /// answer before), and returns the answers.
    static func exchange(port: Int, targets: [String], pipelined: Bool) async throws -> [RawAnswer] {
        let client = try await connect(port: port)
        let answers = try await client.exchange(targets: targets, pipelined: pipelined)
        try await client.close()
        return answers
    }

    func exchange(targets: [String], pipelined: Bool) async throws -> [RawAnswer] {
        let heads = targets.map { target in
            var headers = HTTPHeaders()
            headers.add(name: "Host", value: "proxy.test")
            return HTTPRequestHead(version: .http1_1, method: .GET, uri: target, headers: headers)
        }
        if pipelined {
            return try await send(heads)
        }
        var answers: [RawAnswer] = []
        for head in heads { answers += try await send([head]) }
        return answers
    }

    private func send(_ heads: [HTTPRequestHead]) async throws -> [RawAnswer] {
        let channel = channel
        let collector = collector
        return try await channel.eventLoop.flatSubmit {
            let promise = channel.eventLoop.makePromise(of: [RawAnswer].self)
            collector.value.expect(heads.count, promise)
            for head in heads {
                channel.write(HTTPClientRequestPart.head(head), promise: nil)
                channel.write(HTTPClientRequestPart.end(nil), promise: nil)
            }
            channel.flush()
            return promise.futureResult
        }.get()
    }

    /// Returns once the connection is closed (by either side).
    func closed() async throws {
        try await channel.closeFuture.get()
    }

    /// Closes the connection (which the proxy may have closed already).
    func close() async throws {
        do {
            try await channel.close().get()
        } catch ChannelError.alreadyClosed {
        }
    }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        private var expected = 0
        private var promise: EventLoopPromise<[RawAnswer]>?
        private var answers: [RawAnswer] = []
        private var current: RawAnswer?

        func expect(_ count: Int, _ promise: EventLoopPromise<[RawAnswer]>) {
            expected = count
            answers = []
            self.promise = promise
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                current = RawAnswer(status: Int(head.status.code), headers: head.headers.map { ($0.name, $0.value) }, body: [])
            case .body(let part):
                current?.body += Array(part.readableBytesView)
            case .end:
                if let current { answers.append(current) }
                current = nil
                if answers.count == expected {
                    promise?.succeed(answers)
                    promise = nil
                }
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise?.fail(ChannelError.eof)
            promise = nil
        }
    }
}
