import CallConsultKit
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import XCTest

@testable import CallConsultClient

/// `withDeadline`: what a call returns or throws when the caller cancels it.
final class DeadlineTests: XCTestCase {
    func testAnAnswerThatArrivedIsReturnedEvenWhenTheCallerCancelledMeanwhile() async throws {
        let started = AsyncStream.makeStream(of: Void.self)
        let released = NIOLockedValueBox(false)
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        let call = Task {
            try await ECSSClient.withDeadline(
                ContinuousClock.now + .seconds(60), progress: CommandProgress(command: .callConsult),
                timer: DeadlineTimer(on: eventLoop)
            ) {
                started.continuation.yield()
                // The answer is on its way whatever the cancellation: a detached task is not
                // cancelled with the call.
                await Task.detached {
                    for _ in 0..<2000 where !released.withLockedValue({ $0 }) { try? await Task.sleep(for: .milliseconds(5)) }
                }.value
                return 42
            }
        }
        var startedIterator = started.stream.makeAsyncIterator()
        _ = await startedIterator.next()
        call.cancel()
        released.withLockedValue { $0 = true }
        let value = try await call.value
        XCTAssertEqual(value, 42)
    }

    func testACallWithTheLargestTimeoutTheConfigurationAllowsIsAnswered() async throws {
        // Only `> .zero` is checked: the deadline then lies past what NIODeadline can count.
        let handler = FakeECSS.handler { _ in .respond(.ok, FakeECSS.xml, FakeECSS.ok) }
        try await TestServer.withServer(handler: handler) { server in
            let client = try FakeECSS.client(server, timeout: .seconds(Int64.max))
            let answer = try await client.send(sampleRequest)
            XCTAssertEqual(answer.response, .ok)
            try await client.login()
        }
    }

    func testACancelledCallWhoseAnswerDidNotArriveThrowsCancellationError() async throws {
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        let call = Task {
            try await ECSSClient.withDeadline(
                ContinuousClock.now + .seconds(60), progress: CommandProgress(command: .callConsult),
                timer: DeadlineTimer(on: eventLoop)
            ) {
                try await Task.sleep(for: .seconds(60))
                return 42
            }
        }
        call.cancel()
        await assertCancelled(call)
    }
}
