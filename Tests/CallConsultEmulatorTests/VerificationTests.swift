import CallConsultEmulator
import CallConsultKit
import XCTest

/// Await-until on the journal, counts by command and attribute, and near misses.
final class VerificationTests: XCTestCase {
    typealias Filter = ECSSEmulator.ExchangeFilter

    private static func hold(_ conversationID: String) -> String {
        #"<in><request><call_hold conversation_id="\#(conversationID)"/></request></in>"#
    }

    func testWaitReturnsOnceEnoughExchangesMatchAndCountsFilter() async throws {
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            let mark = running.exchanges.last?.seq ?? 0
            async let sent: Void = {
                for id in ["c-1", "c-2", "c-1"] {
                    try await Task.sleep(for: .milliseconds(30))
                    _ = try await http.send("call_hold", body: Self.hold(id), cookie: cookie)
                }
            }()
            let holds = try await running.waitForExchanges(Filter(command: .callHold), count: 3, since: mark)
            try await sent
            XCTAssertEqual(holds.count, 3)
            XCTAssertEqual(running.count(of: Filter(command: .callHold, attributes: ["conversation_id": "c-1"])), 2)
            XCTAssertEqual(running.count(of: Filter(command: .callHold, domain: "other.domain")), 0)
            XCTAssertEqual(running.count(of: Filter(command: .login, attributes: ["client_id": "crm-1"])), 1)
            XCTAssertEqual(running.count(of: Filter()), 4)
            XCTAssertEqual(running.count(of: Filter(), since: mark), 3)
            XCTAssertEqual(
                running.emulator.exchanges(matching: Filter(attributes: ["conversation_id": "c-2"])).map(\.seq), [mark + 2])
        }
    }

    func testATimeoutSaysWhatWasReceivedOneLinePerExchange() async throws {
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            _ = try await http.send("call_hold", body: Self.hold("c-1"), cookie: cookie)
            _ = try await http.send("call_unhold", body: "<in/>", cookie: nil)
            let start = ContinuousClock.now
            do {
                try await running.waitForExchanges(Filter(command: .callHold), count: 3, timeout: .milliseconds(200))
                XCTFail("three holds were never sent")
            } catch let timeout as ECSSEmulator.WaitTimeout {
                XCTAssertGreaterThanOrEqual(ContinuousClock.now - start, .milliseconds(200))
                XCTAssertEqual(timeout.matched, 1)
                XCTAssertEqual(timeout.received.count, 3)
                let lines = "\(timeout)".split(separator: "\n").map(String.init)
                XCTAssertEqual(lines.count, 4, "\(timeout)")
                XCTAssertTrue(lines[0].hasPrefix("expected 3 call_hold exchanges within"), lines[0])
                XCTAssertTrue(lines[1].hasPrefix("#1 200 example.domain login: logged in crm-1"), lines[1])
                XCTAssertTrue(lines[2].hasPrefix("#2 200 example.domain call_hold: ok"), lines[2])
                XCTAssertEqual(lines[3], "#3 403 example.domain call_unhold: refused: no_session")
                XCTAssertFalse("\(timeout)".contains(Fixtures.credentials.apiKey))
                XCTAssertEqual(running.emulator.exchangeReport(), lines.dropFirst().joined(separator: "\n"))
            }
        }
    }

    func testNearMissesSayWhichStubsCameClosestAndWhy() async throws {
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            let emulator = running.emulator
            let other = try emulator.addStub(ECSSEmulator.Stub(command: .callUnhold, answer: .ok))
            let attribute = try emulator.addStub(
                ECSSEmulator.Stub(command: .callHold, match: ["conversation_id": "c-1"], answer: .ok))
            let scenario = try emulator.addStub(
                ECSSEmulator.Stub(
                    command: .callHold, match: ["conversation_id": "c-1"], answer: .ok, scenario: "hold",
                    requiredState: "ready"))
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            _ = try await http.send("call_hold", body: Self.hold("c-2"), cookie: cookie)
            let exchange = try XCTUnwrap(running.exchanges.last)
            XCTAssertNil(exchange.stub)
            let misses = emulator.nearMisses(for: exchange)
            XCTAssertEqual(misses.map(\.stub.id), [attribute, scenario, other])
            XCTAssertEqual(misses[0].mismatches, [.attribute(name: "conversation_id", stub: "c-1", exchange: ["c-2"])])
            XCTAssertEqual("\(misses[0])", "\(attribute) (call_hold): conversation_id is c-2, not c-1")
            XCTAssertEqual(
                misses[1].mismatches.last, .scenarioState(scenario: "hold", required: "ready", current: "Started"))
            XCTAssertEqual(misses[2].mismatches, [.command(stub: .callUnhold, exchange: .named(.callHold))])

            _ = try await http.send("call_hold", body: Self.hold("c-1"), cookie: nil)
            let refused = try XCTUnwrap(running.exchanges.last)
            XCTAssertEqual(
                emulator.nearMisses(for: refused).first?.mismatches.first, .refused(.noSession),
                "a request refused before stubs apply says so")
        }
    }
}
