import AsyncHTTPClient
import CallConsultEmulator
import CallConsultKit
import NIOConcurrencyHelpers
import NIOCore
import TestSupport
import XCTest

/// Every fault over loopback: what the client sees, and what the journal records.
final class FaultTests: XCTestCase {
    typealias Stub = ECSSEmulator.Stub

    private static let hold = #"<in><request><call_hold conversation_id="c-1"/></request></in>"#

    /// A raw request of call_hold with `cookie`, as one string.
    private static func rawHold(cookie: String) -> String {
        "POST /example.domain/service/cc/arm/call_hold HTTP/1.1\r\nHost: x\r\nCookie: \(cookie)\r\n"
            + "Content-Type: application/xml\r\nContent-Length: \(hold.utf8.count)\r\n\r\n\(hold)"
    }

    /// Runs `body` with a logged-in emulator that has `stub`, counting the decision's calls.
    private func withStub(
        _ stub: Stub, _ body: (ECSSEmulator.Running, EmulatorHTTP, String, NIOLockedValueBox<Int>) async throws -> Void
    ) async throws {
        let decided = NIOLockedValueBox(0)
        let decide: ECSSEmulator.CommandDecision = { _, _ in
            decided.withLockedValue { $0 += 1 }
            return .ok
        }
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration(), answering: decide) { running in
            try running.emulator.addStub(stub)
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            try await body(running, http, cookie, decided)
        }
    }

    func testDelayAnswersAfterTheDelay() async throws {
        try await withStub(Stub(command: .callHold, fault: .delay(milliseconds: 300))) { running, http, cookie, decided in
            let start = ContinuousClock.now
            let answer = try await http.send("call_hold", body: Self.hold, cookie: cookie)
            XCTAssertGreaterThanOrEqual(ContinuousClock.now - start, .milliseconds(300))
            XCTAssertEqual(answer.status, 200)
            let exchange = try XCTUnwrap(running.exchanges.last)
            XCTAssertEqual(exchange.fault, .delay)
            XCTAssertEqual(exchange.status, 200)
            XCTAssertTrue(exchange.carriedOut)
            XCTAssertEqual(decided.withLockedValue { $0 }, 1)
        }
    }

    func testADelayTheClientLeftIsJournaledWithoutAStatus() async throws {
        try await withStub(Stub(command: .callHold, fault: .delay(milliseconds: 300))) { running, _, cookie, decided in
            let connection = try RawConnection(port: running.port)
            connection.send(Self.rawHold(cookie: cookie))
            while decided.withLockedValue({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(5)) }
            XCTAssertEqual(running.exchanges.last?.command, .named(.login), "journaled when the delay ends, not before")
            connection.reset()  // the client leaves during the delay
            let holds = try await running.waitForExchanges(ECSSEmulator.ExchangeFilter(command: .callHold))
            let exchange = try XCTUnwrap(holds.first)
            XCTAssertEqual(exchange.outcome, .faulted(.delay, .callHold(CallHoldRequest(conversationID: "c-1")), nil))
            XCTAssertNil(exchange.sentStatus, "no status was sent")
            XCTAssertTrue(exchange.carriedOut)
        }
    }

    func testResetAfterCommandIsAFailureButTheCommandWasCarriedOut() async throws {
        try await withStub(Stub(command: .callHold, fault: .init(kind: .resetAfterCommand))) { running, http, cookie, decided in
            do {
                _ = try await http.send("call_hold", body: Self.hold, cookie: cookie)
                XCTFail("an answer came")
            } catch {}
            let exchange = try XCTUnwrap(running.exchanges.last)
            XCTAssertEqual(exchange.outcome, .faulted(.resetAfterCommand, .callHold(CallHoldRequest(conversationID: "c-1")), nil))
            XCTAssertTrue(exchange.carriedOut)
            XCTAssertNil(exchange.sentStatus)
            XCTAssertEqual(decided.withLockedValue { $0 }, 1, "the decision was asked: the command was carried out")
        }
    }

    func testResetBeforeBodyClosesWithoutReadingTheBody() async throws {
        try await withStub(Stub(command: .callHold, fault: .init(kind: .resetBeforeBody))) { running, _, cookie, decided in
            let connection = try RawConnection(port: running.port)
            connection.send(Self.rawHold(cookie: cookie))
            XCTAssertTrue(connection.isClosedByServer())
            let exchange = try XCTUnwrap(running.exchanges.last)
            XCTAssertEqual(exchange.outcome, .faulted(.resetBeforeBody, nil, nil))
            XCTAssertFalse(exchange.carriedOut)
            XCTAssertEqual(decided.withLockedValue { $0 }, 0)
        }
    }

    func testTruncatedAnnouncesTheWholeLengthAndSendsHalf() async throws {
        try await withStub(Stub(command: .callHold, fault: .init(kind: .truncated))) { running, _, cookie, _ in
            let connection = try RawConnection(port: running.port)
            connection.send(Self.rawHold(cookie: cookie))
            let (bytes, _) = connection.readUntilClosed()
            let text = String(decoding: bytes, as: UTF8.self)
            let parts = text.components(separatedBy: "\r\n\r\n")
            XCTAssertEqual(parts.count, 2, text)
            let length = parts[0].split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }
            let whole = try XCTUnwrap(length, text)
            XCTAssertEqual(parts[1].utf8.count, whole / 2, text)
            XCTAssertEqual(running.exchanges.last?.fault, .truncated)
            XCTAssertEqual(running.exchanges.last?.carriedOut, true)
        }
    }

    func testHTTPAnswersWhatItSaysAndDoesNotCarryOut() async throws {
        let fault = ECSSEmulator.Fault.http(status: 503, body: "try later", headers: ["Retry-After": "5"])
        try await withStub(Stub(command: .callHold, fault: fault)) { running, _, cookie, decided in
            var request = HTTPClientRequest(url: running.url(of: "call_hold", domain: "example.domain"))
            request.method = .POST
            request.headers.add(name: "Cookie", value: cookie)
            request.body = .bytes(ByteBuffer(string: Self.hold))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            XCTAssertEqual(response.status.code, 503)
            XCTAssertEqual(response.headers.first(name: "Retry-After"), "5")
            XCTAssertEqual(response.headers.first(name: "Content-Type"), "text/plain; charset=utf-8")
            let body = try await response.body.collect(upTo: 1024)
            XCTAssertEqual(String(buffer: body), "try later")
            XCTAssertEqual(running.exchanges.last?.carriedOut, false)
            XCTAssertEqual(decided.withLockedValue { $0 }, 0)
        }
    }

    func testSessionLostEndsTheSession() async throws {
        try await withStub(Stub(command: .callHold, fault: .init(kind: .sessionLost), times: 1)) { running, http, cookie, _ in
            let lost = try await http.send("call_hold", body: Self.hold, cookie: cookie)
            XCTAssertEqual(lost.status, 403)
            XCTAssertEqual(lost.body, "Session is not valid")
            let next = try await http.send("call_hold", body: Self.hold, cookie: cookie)
            XCTAssertEqual(next.status, 403)
            XCTAssertEqual(running.exchanges.last?.outcome, .refused(.noSession))
        }
    }

    func testAStallIsJournaledWhenReadAndReleasedWhenTheClientLeaves() async throws {
        try await withStub(Stub(command: .callHold, fault: .init(kind: .stall))) { running, http, cookie, _ in
            let connection = try RawConnection(port: running.port, timeout: .milliseconds(300))
            connection.send(Self.rawHold(cookie: cookie))
            XCTAssertNil(connection.readAnswer(), "a stalled exchange is never answered")
            XCTAssertEqual(running.exchanges.last?.fault, .stall)
            XCTAssertEqual(running.exchanges.last?.carriedOut, true)
            // Other connections are served meanwhile.
            running.emulator.removeAllStubs()
            let answer = try await http.send("call_hold", body: Self.hold, cookie: cookie)
            XCTAssertEqual(answer.status, 200)
        }
    }

    func testStoppingDoesNotWaitForAStall() async throws {
        let start = ContinuousClock.now
        let stalled = try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            try running.emulator.addStub(Stub(command: .callHold, fault: .init(kind: .stall)))
            let cookie = try await EmulatorHTTP(running: running).login()
            let connection = try RawConnection(port: running.port, timeout: .seconds(20))
            connection.send(Self.rawHold(cookie: cookie))
            while running.exchanges.last?.fault != .stall { try await Task.sleep(for: .milliseconds(10)) }
            return connection
        }
        XCTAssertTrue(stalled.isClosedByServer())
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(10), "the stop waited for the stall")
    }

    func testALoginFaultDelaysTheLogin() async throws {
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            try running.emulator.addStub(Stub(command: .login, match: ["client_id": "crm-1"], fault: .delay(milliseconds: 100)))
            _ = try await EmulatorHTTP(running: running).login()
            XCTAssertEqual(running.exchanges.last?.fault, .delay)
            XCTAssertEqual(running.exchanges.last?.status, 200)
        }
    }
}
