import CallConsultClient
import CallConsultKit
import NIOCore
import NIOHTTP1
import XCTest

/// What login answers mean, and which cookies the client keeps and sends back.
final class LoginAndCookieTests: XCTestCase {
    func testARefusedLoginIsAnAuthenticationErrorWithTheServersText() async throws {
        let handler: TestServer.Handler = { _ in
            .respond(.forbidden, [("Content-Type", "text/plain")], Array("Invalid credentials\n".utf8))
        }
        try await TestServer.withServer(handler: handler) { server in
            let error = await assertClientError { try await FakeECSS.client(server).callConsult(sampleRequest) }
            XCTAssertEqual(error?.kind, .authentication)
            XCTAssertEqual(error?.kind.code, "authentication")
            XCTAssertEqual(error?.status, 403)
            XCTAssertEqual(error?.bodyExcerpt, "Invalid credentials")
            XCTAssertEqual(error?.message, "login refused: Invalid credentials")
            XCTAssertEqual(error?.mayHaveBeenDelivered, false)
            XCTAssertEqual(FakeECSS.requests(server, "call_consult").count, 0)
        }
    }

    func testAServerEchoingTheAPIKeyDoesNotPutItInTheError() async throws {
        let handler: TestServer.Handler = { _ in
            .respond(.forbidden, [], Array("bad key \(testCredentials.apiKey) for crm".utf8))
        }
        try await TestServer.withServer(handler: handler) { server in
            let error = await assertClientError { try await FakeECSS.client(server).login() }
            XCTAssertEqual(error?.bodyExcerpt, "bad key *** for crm")
        }
    }

    func testOtherLoginAnswers() async throws {
        let cases: [(String, TestServer.Action, ECSSClientError.Kind)] = [
            ("500", .respond(.internalServerError, [], Array("oops".utf8)), .unexpectedStatus),
            ("200 not XML", .respond(.ok, [("Content-Type", "text/plain")], Array("welcome".utf8)), .invalidResponse),
            ("200 error", .respond(.ok, FakeECSS.xml, FakeECSS.refused), .invalidResponse),
        ]
        for (label, action, kind) in cases {
            try await TestServer.withServer(handler: TestServer.always(action)) { server in
                let error = await assertClientError { try await FakeECSS.client(server).callConsult(sampleRequest) }
                XCTAssertEqual(error?.kind, kind, label)
                XCTAssertEqual(error?.mayHaveBeenDelivered, false, label)
                XCTAssertEqual(FakeECSS.requests(server, "call_consult").count, 0, label)
            }
        }
    }

    func testCookiesAreKeptByPathDomainAndLifetime() async throws {
        let cookies = [
            "foreign=1; Domain=evil.example",  // not this host: refused
            "other=2; Path=/elsewhere",  // another path: not sent
            "gone=3; Max-Age=0",  // expired at once
            "old=4; Expires=Wed, 21 Oct 2015 07:28:00 GMT",  // expired long ago
            "wins=5; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Max-Age=3600",  // Max-Age wins over Expires
            "domain=6; Path=/\(testDomain)",
            "plain=7",  // default path: /test.domain/service/cc/arm
            "secure=8; Secure",  // never over http
            "same=9; Domain=127.0.0.1",
        ]
        let handler = FakeECSS.handler(loginCookies: cookies) { _ in .respond(.ok, FakeECSS.xml, FakeECSS.ok) }
        try await TestServer.withServer(handler: handler) { server in
            let response = try await FakeECSS.client(server).callConsult(sampleRequest)
            XCTAssertEqual(response, .ok)
            let sent = FakeECSS.requests(server, "call_consult").first?.cookie
            XCTAssertEqual(sent, "wins=5; plain=7; same=9; domain=6")  // longer paths first, then in order set
        }
    }

    func testACookieWithANarrowerPathGoesOnlyToTheCommandsItMatches() async throws {
        let directory = "/\(testDomain)/service/cc/arm"
        let cookies = [
            "all=1; Path=\(directory)",  // every command
            "hold=2; Path=\(directory)/call_hold",  // call_hold only
            "call=3; Path=\(directory)/call",  // a prefix of names, not a path: no command
            "root=4; Path=/",  // every command
            "mon=5; Path=\(directory)/monitor/",  // below monitor's path: no command
        ]
        let handler = FakeECSS.handler(loginCookies: cookies) { request in
            request.uri.hasSuffix("/monitor") ? .respond(.ok, [], []) : .respond(.ok, FakeECSS.xml, FakeECSS.ok)
        }
        try await TestServer.withServer(handler: handler) { server in
            let client = try FakeECSS.client(server)
            _ = try await client.callHold(CallHoldRequest(conversationID: "c-1"))
            _ = try await client.callConsult(sampleRequest)
            _ = try await client.callUnhold(CallUnholdRequest(conversationID: "c-1"))
            _ = try await client.monitor(FamilyCase.monitorRequest)
            let sent = server.requests.filter { !$0.uri.hasSuffix("/login") }.map {
                "\($0.uri.split(separator: "/").last ?? "") \($0.cookie ?? "-")"
            }
            XCTAssertEqual(
                sent,
                [
                    "call_hold hold=2; all=1; root=4", "call_consult all=1; root=4", "call_unhold all=1; root=4",
                    "monitor all=1; root=4",
                ])
        }
    }

    func testACookieThatExpiresIsNoLongerSentWithAnyCommand() async throws {
        let directory = "/\(testDomain)/service/cc/arm"
        let handler = FakeECSS.handler(loginCookies: ["short=1; Max-Age=1", "hold=2; Path=\(directory)/call_hold", "long=3"]) {
            _ in
            .respond(.ok, FakeECSS.xml, FakeECSS.ok)
        }
        try await TestServer.withServer(handler: handler) { server in
            let client = try FakeECSS.client(server)
            _ = try await client.callHold(CallHoldRequest(conversationID: "c-1"))
            XCTAssertEqual(FakeECSS.requests(server, "call_hold").last?.cookie, "hold=2; short=1; long=3")
            try await Task.sleep(for: .milliseconds(2100))
            _ = try await client.callHold(CallHoldRequest(conversationID: "c-1"))
            _ = try await client.auxWork(AuxWorkRequest(reason: "lunch"))
            XCTAssertEqual(FakeECSS.requests(server, "call_hold").last?.cookie, "hold=2; long=3")
            XCTAssertEqual(FakeECSS.requests(server, "auxwork").last?.cookie, "long=3")
        }
    }

    func testACookieThatExpiresDuringTheSessionIsNoLongerSent() async throws {
        // The Cookie header is made once per login and redone when its first cookie expires.
        let handler = FakeECSS.handler(loginCookies: ["short=1; Max-Age=1", "long=2; Max-Age=3600"]) { _ in
            .respond(.ok, FakeECSS.xml, FakeECSS.ok)
        }
        try await TestServer.withServer(handler: handler) { server in
            let client = try FakeECSS.client(server)
            _ = try await client.callConsult(sampleRequest)
            XCTAssertEqual(FakeECSS.requests(server, "call_consult").last?.cookie, "short=1; long=2")
            try await Task.sleep(for: .milliseconds(2100))
            _ = try await client.callConsult(sampleRequest)
            XCTAssertEqual(FakeECSS.requests(server, "call_consult").last?.cookie, "long=2")
            XCTAssertEqual(FakeECSS.requests(server, "login").count, 1)
        }
    }

    func testALoginWithoutCookiesStillSendsTheCommand() async throws {
        let handler = FakeECSS.handler(loginCookies: []) { _ in .respond(.ok, FakeECSS.xml, FakeECSS.ok) }
        try await TestServer.withServer(handler: handler) { server in
            let response = try await FakeECSS.client(server).callConsult(sampleRequest)
            XCTAssertEqual(response, .ok)
            XCTAssertNil(FakeECSS.requests(server, "call_consult").first?.cookie)
        }
    }

    func testABaseURLWithAPathPrefixAndADomainThatNeedsEscaping() async throws {
        let handler = FakeECSS.handler { _ in .respond(.ok, FakeECSS.xml, FakeECSS.ok) }
        try await TestServer.withServer(handler: handler) { server in
            let client = try ECSSClient(
                configuration: .init(baseURL: server.baseURL + "/proxy/", domain: "a b/c", credentials: testCredentials))
            let response = try await client.callConsult(sampleRequest)
            XCTAssertEqual(response, .ok)
            XCTAssertEqual(
                server.requests.map(\.uri),
                ["/proxy/a%20b%2Fc/service/cc/arm/login", "/proxy/a%20b%2Fc/service/cc/arm/call_consult"])
        }
    }

    func testUnusableConfigurationsAreRefused() {
        let cases = [
            ("ftp://host", "d", Duration.seconds(1)), ("http://", "d", .seconds(1)), ("not a url", "d", .seconds(1)),
            ("http://host", "", .seconds(1)), ("http://host", "d", .zero), ("http://host?x=1", "d", .seconds(1)),
        ]
        for (url, domain, timeout) in cases {
            XCTAssertThrowsError(
                try ECSSClient(configuration: .init(baseURL: url, domain: domain, credentials: testCredentials, timeout: timeout))
            ) { error in
                XCTAssertEqual((error as? ECSSClientError)?.kind, .invalidConfiguration, "\(url) \(domain)")
            }
        }
    }

    func testANegativeBodyLimitIsRefusedAndTheLargestIsUsable() async throws {
        for limit in [-1, Int.min] {
            XCTAssertThrowsError(
                try ECSSClient(
                    configuration: .init(
                        baseURL: "http://host", domain: "d", credentials: testCredentials,
                        limits: DecodingLimits(maxBodyBytes: limit)))
            ) { error in
                XCTAssertEqual((error as? ECSSClientError)?.kind, .invalidConfiguration, "\(limit)")
            }
        }
        try await TestServer.withServer(handler: FakeECSS.handler { _ in .respond(.ok, FakeECSS.xml, FakeECSS.ok) }) { server in
            for limit in [Int.max, 0] {
                let client = try FakeECSS.client(server, limits: DecodingLimits(maxBodyBytes: limit))
                do {
                    let response = try await client.callConsult(sampleRequest)
                    XCTAssertEqual(response, .ok, "\(limit)")
                } catch let error as ECSSClientError {
                    XCTAssertEqual(limit, 0, "\(error)")
                    XCTAssertEqual(error.kind, .invalidResponse)
                }
            }
        }
    }

    func testAnUnencodableRequestIsRefusedBeforeAnythingIsSent() async throws {
        try await TestServer.withServer(handler: TestServer.always(.close)) { server in
            do {
                _ = try await FakeECSS.client(server).callConsult(CallConsultRequest(conversationID: "a\u{0}", toNumber: "1"))
                XCTFail("sent")
            } catch {
                XCTAssertTrue(error is EncodingError, "\(error)")
            }
            XCTAssertTrue(server.requests.isEmpty)
        }
    }
}
