import AsyncHTTPClient
import CallConsultEmulator
import CallConsultKit
import XCTest

final class CallConsultTests: XCTestCase {
    func testAValidRequestOfALiveSessionIsAnsweredByTheDecision() async throws {
        let refusal = ErrorReply(reason: ErrorReply.cannotPerformCommand, command: "call_consult")
        let decide: ECSSEmulator.CommandDecision = { request, domain in
            guard case .callConsult(let consult) = request else { return .ok }
            return consult.conversationID == "ended" && domain == "example.domain" ? .error(refusal) : .ok
        }
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration(), answering: decide) { running in
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            let ok = try await http.send("call_consult", body: Fixtures.consult(), cookie: cookie)
            XCTAssertEqual(ok.status, 200)
            XCTAssertEqual(ok.contentType, CommandResponse.contentType)
            XCTAssertEqual(ok.body, Fixtures.consultOK)
            let refused = try await http.send("call_consult", body: Fixtures.consult("ended"), cookie: cookie)
            XCTAssertEqual(refused.status, 403)
            XCTAssertEqual(refused.contentType, CommandResponse.contentType)
            XCTAssertTrue(refused.body.contains(#"xs:noNamespaceSchemaLocation="call_consult.xsd""#), refused.body)
            XCTAssertEqual(try CallConsultCodec().decodeResponse(Array(refused.body.utf8)), .error(refusal))
            // Other cookies beside the session's are ignored.
            let among = try await http.send("call_consult", body: Fixtures.consult(), cookie: "theme=dark; \(cookie); x=1")
            XCTAssertEqual(among.status, 200)
        }
    }

    func testACommandWithoutALiveSessionGetsPlainText403() async throws {
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            let http = EmulatorHTTP(running: running)
            let cases: [(label: String, cookie: String?)] = [
                ("no cookie", nil),
                ("an unknown session", "\(ECSSEmulator.sessionCookieName)=00000000000000000000000000000000"),
                ("an empty value", "\(ECSSEmulator.sessionCookieName)="),
                ("another cookie only", "SESSION=1"),
            ]
            for (label, cookie) in cases {
                let answer = try await http.send("call_consult", body: Fixtures.consult(), cookie: cookie)
                XCTAssertEqual(answer.status, 403, label)
                XCTAssertEqual(answer.body, "Session is not valid", label)
                XCTAssertEqual(answer.contentType, "text/plain; charset=utf-8", label)
                XCTAssertEqual(running.exchanges.last?.outcome, .refused(.noSession), label)
            }
        }
    }

    func testBodiesThatAreNotValidRequestsGet400WithTheDocumentErrorText() async throws {
        let cases: [(label: String, body: String?, kind: DocumentError.Kind)] = [
            ("empty", nil, .notWellFormed),
            ("not XML", "conversation_id=1", .notWellFormed),
            ("wrong root", "<out><response><ok/></response></out>", .wrongRoot),
            ("missing to_number", #"<in><request><call_consult conversation_id="1"/></request></in>"#, .notValid),
            ("a login body", Fixtures.loginBody(Fixtures.credentials), .notValid),
            ("a DOCTYPE", #"<!DOCTYPE in SYSTEM "file:///etc/passwd"><in/>"#, .refusedByPolicy),
        ]
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            for (label, body, kind) in cases {
                let answer = try await http.send("call_consult", body: body, cookie: cookie)
                XCTAssertEqual(answer.status, 400, label)
                XCTAssertEqual(answer.contentType, "text/plain; charset=utf-8", label)
                XCTAssertEqual(answer.body.split(separator: "\n").first.map(String.init), kind.code, label)
                guard case .refused(.invalidRequest(let error))? = running.exchanges.last?.outcome else {
                    XCTFail("\(label): not recorded as an invalid request")
                    continue
                }
                XCTAssertEqual(error.kind, kind, label)
                XCTAssertEqual(answer.body, "\(error)\n", label)
            }
            XCTAssertFalse(running.exchanges.contains { $0.description.contains("s3cret") })
        }
    }

    func testABodyOverTheLimitGets413() async throws {
        var configuration = Fixtures.configuration()
        configuration.limits = DecodingLimits(maxBodyBytes: 1024)
        try await ECSSEmulator.withRunning(configuration: configuration) { running in
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            let padded = Fixtures.consult() + String(repeating: " ", count: 1024)
            let answer = try await http.send("call_consult", body: padded, cookie: cookie)
            XCTAssertEqual(answer.status, 413)
            XCTAssertEqual(answer.body.split(separator: "\n").first, "too_large")
            XCTAssertEqual(running.exchanges.last?.outcome, .refused(.tooLarge(maxBodyBytes: 1024)))
            // Exactly at the limit is still read and decoded.
            let exact = Fixtures.consult() + String(repeating: " ", count: 1024 - Fixtures.consult().utf8.count)
            let fits = try await http.send("call_consult", body: exact, cookie: cookie)
            XCTAssertEqual(fits.status, 200, fits.body)
        }
    }

    func testSessionsEndAfterTheConfiguredNumberOfCommands() async throws {
        var configuration = Fixtures.configuration()
        configuration.sessionCommands = 2
        try await ECSSEmulator.withRunning(configuration: configuration) { running in
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            let first = try await http.send("call_consult", body: Fixtures.consult(), cookie: cookie)
            // An invalid body counts as a command too.
            let second = try await http.send("call_consult", body: "<in/>", cookie: cookie)
            let third = try await http.send("call_consult", body: Fixtures.consult(), cookie: cookie)
            let fourth = try await http.send("call_consult", body: Fixtures.consult(), cookie: cookie)
            XCTAssertEqual([first.status, second.status, third.status, fourth.status], [200, 400, 403, 403])
            XCTAssertEqual(third.body, "Session is not valid")
            XCTAssertEqual(running.exchanges.suffix(2).map(\.outcome), [.refused(.sessionExpired), .refused(.noSession)])
            // A new login starts again.
            let again = try await http.login()
            let fifth = try await http.send("call_consult", body: Fixtures.consult(), cookie: again)
            XCTAssertEqual(fifth.status, 200)
        }
    }

    func testSessionsEndAfterTheConfiguredLifetime() async throws {
        var configuration = Fixtures.configuration()
        configuration.sessionLifetime = .seconds(2)
        try await ECSSEmulator.withRunning(configuration: configuration) { running in
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            let early = try await http.send("call_consult", body: Fixtures.consult(), cookie: cookie)
            XCTAssertEqual(early.status, 200)
            try await Task.sleep(for: .milliseconds(2100))
            let late = try await http.send("call_consult", body: Fixtures.consult(), cookie: cookie)
            XCTAssertEqual(late.status, 403)
            XCTAssertEqual(running.exchanges.last?.outcome, .refused(.sessionExpired))
        }
    }

    func testEndAllSessionsMakesEveryClientLogInAgain() async throws {
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            running.emulator.endAllSessions()
            let answer = try await http.send("call_consult", body: Fixtures.consult(), cookie: cookie)
            XCTAssertEqual(answer.status, 403)
        }
    }

    func testASessionIsValidInItsOwnDomainOnly() async throws {
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            let http = EmulatorHTTP(running: running)
            let a = try await http.login(domain: "a.domain")
            let b = try await http.login(domain: "b.domain")
            let cases: [(label: String, domain: String, cookie: String, status: Int)] = [
                ("A's session in A", "a.domain", a, 200),
                ("A's session in B", "b.domain", a, 403),
                ("B's session in B", "b.domain", b, 200),
                ("B's session in C", "c.domain", b, 403),
            ]
            for (label, domain, cookie, status) in cases {
                let answer = try await http.send("call_consult", body: Fixtures.consult(), cookie: cookie, domain: domain)
                XCTAssertEqual(answer.status, status, label)
                XCTAssertEqual(running.exchanges.last?.domain, domain, label)
            }
        }
    }

    func testAConfiguredDomainIsTheOnlyOneServed() async throws {
        var configuration = Fixtures.configuration()
        configuration.domain = "example.domain"
        try await ECSSEmulator.withRunning(configuration: configuration) { running in
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            let served = try await http.send("call_consult", body: Fixtures.consult(), cookie: cookie)
            XCTAssertEqual(served.status, 200)
            let other = try await http.send("login", body: Fixtures.loginBody(Fixtures.credentials), domain: "other.domain")
            XCTAssertEqual(other.status, 404)
            XCTAssertEqual(running.exchanges.last?.outcome, .refused(.unknownDomain))
        }
    }
}
