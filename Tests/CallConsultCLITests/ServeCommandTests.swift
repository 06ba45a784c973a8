import Foundation
import XCTest

/// `callconsult serve`, run as built: the first line, the answers, the log lines, the signals.
final class ServeCommandTests: XCTestCase {
    private static let environment = ["ECSS_CLIENT_ID": "crm-1", "ECSS_API_KEY": "s3cret-api-key", "ECSS_PHONE_NUMBER": "1001"]
    private static let login = #"<in><request client_id="crm-1" api_key="s3cret-api-key" phone_number="1001"/></in>"#

    private static func consult(_ id: String) -> String {
        #"<in><request><call_consult conversation_id="\#(id)" to_number="1002"/></request></in>"#
    }

    func testAJSONSessionIsAnsweredAndLoggedLineByLineAndSIGTERMExitsZero() async throws {
        let serve = try ServeProcess(["--port", "0", "--json", "--refuse", "ended"], environment: Self.environment)
        let login = try await serve.post("login", Self.login)
        XCTAssertEqual(login.status, 200)
        let cookie = try XCTUnwrap(login.cookie)
        XCTAssertTrue(cookie.hasPrefix("ECSS_SESSION="), cookie)
        let ok = try await serve.post("call_consult", Self.consult("live"), cookie: cookie)
        XCTAssertEqual(ok.status, 200)
        XCTAssertTrue(ok.body.contains("<response><ok/></response>"), ok.body)
        let refused = try await serve.post("call_consult", Self.consult("ended"), cookie: cookie)
        XCTAssertEqual(refused.status, 403)
        XCTAssertTrue(refused.body.contains(#"<error reason="cannot_perform_cmd" cmd="call_consult"/>"#), refused.body)
        let invalid = try await serve.post("call_consult", "<in/>", cookie: cookie)
        XCTAssertEqual(invalid.status, 400)
        XCTAssertTrue(invalid.body.hasPrefix("not_valid\n"), invalid.body)
        let noSession = try await serve.post("call_consult", Self.consult("live"))
        XCTAssertEqual(noSession.status, 403)
        XCTAssertEqual(noSession.body, "Session is not valid")
        let badLogin = try await serve.post("login", Self.login.replacingOccurrences(of: "s3cret", with: "guess"))
        XCTAssertEqual(badLogin.status, 403)
        XCTAssertEqual(badLogin.body, "Invalid credentials")

        let stopped = serve.stop(with: SIGTERM)
        XCTAssertEqual(stopped.status, 0, stopped.stderr)
        let logged = try stopped.lines.dropFirst().map(CommandRunner.json)
        XCTAssertEqual(logged.count, 6, "\(stopped.lines)")
        XCTAssertEqual(logged.map { $0["status"] as? Int }, [200, 200, 403, 400, 403, 403])
        XCTAssertEqual(
            logged.map { $0["command"] as? String },
            ["login", "call_consult", "call_consult", "call_consult", "call_consult", "login"])
        XCTAssertEqual(logged.map { $0["outcome"] as? String }, ["logged_in", "ok", "error", "refused", "refused", "refused"])
        XCTAssertEqual(
            logged.map { $0["refusal"] as? String }, [nil, nil, nil, "invalid_request", "no_session", "invalid_credentials"])
        XCTAssertEqual(logged[0]["client_id"] as? String, "crm-1")
        XCTAssertEqual(logged[1]["conversation_id"] as? String, "live")
        XCTAssertEqual(logged[2]["reason"] as? String, "cannot_perform_cmd")
        XCTAssertEqual(logged[3]["error_kind"] as? String, "not_valid")
        XCTAssertTrue(logged.allSatisfy { $0["domain"] as? String == "example.domain" && $0["time"] is String })
        let token = cookie.dropFirst("ECSS_SESSION=".count)
        for line in stopped.lines + [stopped.stderr] {
            XCTAssertFalse(line.contains("s3cret"), line)
            XCTAssertFalse(line.contains(token), line)
        }
    }

    func testTextLinesSessionCommandsAndSIGINT() async throws {
        let serve = try ServeProcess(["--port", "0", "--session-commands", "1"], environment: Self.environment)
        let login = try await serve.post("login", Self.login)
        let cookie = try XCTUnwrap(login.cookie)
        let first = try await serve.post("call_consult", Self.consult("c-1"), cookie: cookie)
        let second = try await serve.post("call_consult", Self.consult("c-1"), cookie: cookie)
        XCTAssertEqual([first.status, second.status], [200, 403])
        let stopped = serve.stop(with: SIGINT)
        XCTAssertEqual(stopped.status, 0, stopped.stderr)
        let logged = Array(stopped.lines.dropFirst())
        XCTAssertEqual(logged.count, 3, "\(stopped.lines)")
        let fields = logged.map { $0.split(separator: " ").dropFirst().prefix(4).joined(separator: " ") }
        XCTAssertEqual(
            fields,
            [
                #"200 "example.domain" login logged_in"#, #"200 "example.domain" call_consult ok"#,
                #"403 "example.domain" call_consult refused"#,
            ])
        XCTAssertTrue(logged[2].hasSuffix(#"refusal "session_expired""#), logged[2])
    }

    func testFlagsWinOverTheEnvironmentAndADomainLimitsWhatIsServed() async throws {
        let serve = try ServeProcess(
            ["--port", "0", "--client-id", "crm-flag", "--domain", "example.domain"], environment: Self.environment)
        let fromEnvironment = try await serve.post("login", Self.login)
        XCTAssertEqual(fromEnvironment.status, 403)
        let fromFlag = try await serve.post("login", Self.login.replacingOccurrences(of: "crm-1", with: "crm-flag"))
        XCTAssertEqual(fromFlag.status, 200)
        let otherDomain = try await serve.post("login", Self.login, domain: "other.domain")
        XCTAssertEqual(otherDomain.status, 404)
        XCTAssertEqual(serve.stop().status, 0)
    }

    func testMissingCredentialsAreAUsageError() throws {
        let cases: [(label: String, arguments: [String], missing: String)] = [
            ("nothing", ["serve", "--port", "0"], "--client-id"),
            ("no API key", ["serve", "--port", "0", "--client-id", "c", "--phone-number", "p"], "--api-key"),
            ("no phone number", ["serve", "--port", "0", "--client-id", "c", "--api-key", "k"], "--phone-number"),
        ]
        for (label, arguments, missing) in cases {
            let run = try CommandRunner().shell(#"env -i "$0" "$@""#, arguments)
            XCTAssertEqual(run.status, 2, label)
            XCTAssertTrue(run.stderr.contains(missing), "\(label): \(run.stderr)")
            XCTAssertEqual(run.stdout, "", label)
        }
    }

    func testAStandardOutputThatCannotBeWrittenStopsTheServerWith74() throws {
        let run = try CommandRunner().runIntoClosedPipe([
            "serve", "--port", "0", "--client-id", "c", "--api-key", "k", "--phone-number", "p",
        ])
        XCTAssertEqual(run.status, 74, run.stderr)
        XCTAssertTrue(run.stderr.contains("cannot write to standard output"), run.stderr)
    }
}
