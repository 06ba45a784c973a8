import CallConsultClient
import CallConsultKit
import NIOHTTP1
import XCTest

/// `monitor`, the command without an `<out>`: 2xx is ok, 404 an unknown event, and the session
/// rules of every command.
final class MonitorTests: XCTestCase {
    func testA200WithAnyBodyOrNoneIsOkAndTheRequestIsAMonitorDocument() async throws {
        let bodies: [(String, [(String, String)])] = [
            ("", []), ("subscribed", [("Content-Type", "text/plain")]),
            ("<out><response><ok/></response></out>", FakeECSS.xml),
        ]
        for (body, headers) in bodies {
            let handler = FakeECSS.handler { _ in .respond(.ok, headers, Array(body.utf8)) }
            try await TestServer.withServer(handler: handler) { server in
                let client = try FakeECSS.client(server)
                let result = try await client.monitor(FamilyCase.monitorRequest)
                XCTAssertEqual(result, .ok, body)
                let answer = try await client.send(FamilyCase.monitorRequest)
                XCTAssertEqual(answer, ECSSClient.Answer(status: 200, response: .ok), body)
                let sent = FakeECSS.requests(server, "monitor")
                XCTAssertEqual(sent.count, 2)
                for request in sent {
                    XCTAssertEqual(request.uri, "/\(testDomain)/service/cc/arm/monitor")
                    XCTAssertEqual(request.cookie, "ECSS_SESSION=\(sessionCookieValue)")
                    XCTAssertEqual(
                        try CallConsultCodec().decodeRequest(request.body, command: .monitor), .monitor(FamilyCase.monitorRequest)
                    )
                }
            }
        }
    }

    func testA404IsAnUnknownEventNeverResent() async throws {
        let handler = FakeECSS.handler { _ in .respond(.notFound, [("Content-Type", "text/plain")], Array("no such event".utf8)) }
        try await TestServer.withServer(handler: handler) { server in
            let client = try FakeECSS.client(server)
            let result = try await client.monitor(MonitorRequest(start: [MonitorEvent(name: "no_such_event")]))
            XCTAssertEqual(result, .unknownEvent)
            let answer = try await client.send(ECSSRequest.monitor(MonitorRequest(stop: [MonitorEvent(name: "x")])))
            XCTAssertEqual(answer, ECSSClient.Answer(status: 404, response: .error(ECSSClient.MonitorResult.unknownEventReply)))
            XCTAssertEqual(ECSSClient.MonitorResult.unknownEventReply, ErrorReply(reason: "unknown_event", command: "monitor"))
            XCTAssertEqual(FakeECSS.requests(server, "monitor").count, 2)
            XCTAssertEqual(FakeECSS.requests(server, "login").count, 1)
        }
    }

    func testALostSessionCostsOneNewLoginAndOneResend() async throws {
        let handler = FakeECSS.handler(firstCommand: FakeECSS.sessionLost, then: .respond(.ok, [], []))
        try await TestServer.withServer(handler: handler) { server in
            let result = try await FakeECSS.client(server).monitor(FamilyCase.monitorRequest)
            XCTAssertEqual(result, .ok)
            XCTAssertEqual(FakeECSS.requests(server, "login").count, 2)
            XCTAssertEqual(FakeECSS.requests(server, "monitor").count, 2)
        }
    }

    func testASessionRefusedAgainAfterANewLoginFailsNamingMonitor() async throws {
        try await TestServer.withServer(handler: FakeECSS.handler { _ in FakeECSS.sessionLost }) { server in
            let error = await assertClientError { try await FakeECSS.client(server).monitor(FamilyCase.monitorRequest) }
            XCTAssertEqual(error?.kind, .unexpectedStatus)
            XCTAssertEqual(error?.status, 403)
            XCTAssertEqual(error?.mayHaveBeenDelivered, false)
            XCTAssertEqual(error?.message, "monitor was refused with status 403 right after a new login")
            XCTAssertEqual(FakeECSS.requests(server, "login").count, 2)
            XCTAssertEqual(FakeECSS.requests(server, "monitor").count, 2)
        }
    }

    func testOtherAnswersAreFailuresThatMayHaveBeenDelivered() async throws {
        let cases: [(String, TestServer.Action)] = [
            ("500", .respond(.internalServerError, [("Content-Type", "text/plain")], Array("oops".utf8))),
            ("403 with an <out>", FakeECSS.answer(.error(FakeECSS.errorReply(to: .monitor)), to: .callHold, status: .forbidden)),
        ]
        for (label, action) in cases {
            try await TestServer.withServer(handler: FakeECSS.handler { _ in action }) { server in
                let error = await assertClientError { try await FakeECSS.client(server).monitor(FamilyCase.monitorRequest) }
                XCTAssertEqual(error?.kind, .unexpectedStatus, label)
                XCTAssertEqual(error?.mayHaveBeenDelivered, true, label)
                XCTAssertTrue(error?.message.contains("monitor") ?? false, label)
                XCTAssertEqual(FakeECSS.requests(server, "monitor").count, 1, "never resent: \(label)")
                XCTAssertEqual(FakeECSS.requests(server, "login").count, 1, label)
            }
        }
    }
}
