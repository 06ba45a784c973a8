import AsyncHTTPClient
import CallConsultEmulator
import CallConsultKit
import Logging
import ServiceLifecycle
import TestSupport
import XCTest

final class LifecycleTests: XCTestCase {
    private struct Planned: Error {}

    func testWithRunningStopsTheEmulatorWhenTheBodyThrows() async throws {
        var port = 0
        do {
            try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
                port = running.port
                XCTAssertGreaterThan(running.port, 0)
                XCTAssertEqual(running.baseURL, "http://127.0.0.1:\(running.port)")
                XCTAssertEqual(
                    running.url(of: "login", domain: "d"), "http://127.0.0.1:\(running.port)/d/service/cc/arm/login")
                throw Planned()
            }
            XCTFail("the body's error was not rethrown")
        } catch is Planned {}
        XCTAssertThrowsError(try RawConnection(port: port), "the emulator still listens on \(port)")
    }

    func testWithRunningStopsTheEmulatorWhenTheBodyReturns() async throws {
        // An idle connection, still open on the client's side, must not hold the stop up.
        let (port, idle) = try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            (running.port, try RawConnection(port: running.port))
        }
        XCTAssertThrowsError(try RawConnection(port: port), "the emulator still listens on \(port)")
        XCTAssertTrue(idle.isClosedByServer())
    }

    func testItRunsAsAServiceOfTheCallersGroup() async throws {
        let emulator = ECSSEmulator(configuration: Fixtures.configuration())
        let group = ServiceGroup(
            configuration: .init(services: [emulator], gracefulShutdownSignals: [], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await emulator.listeningPort()
            let connection = try RawConnection(port: port)
            connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            XCTAssertEqual(connection.readAnswer()?.status, 404)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        do {
            _ = try await emulator.listeningPort()
            XCTFail("a stopped emulator reported a port")
        } catch is ECSSEmulator.NotListening {}
    }

    func testATakenPortFailsInsteadOfHanging() async throws {
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            var second = Fixtures.configuration()
            second.port = running.port
            do {
                try await ECSSEmulator.withRunning(configuration: second) { _ in XCTFail("two emulators on one port") }
                XCTFail("no error")
            } catch {
                XCTAssertFalse("\(error)".isEmpty)
            }
        }
    }
}
