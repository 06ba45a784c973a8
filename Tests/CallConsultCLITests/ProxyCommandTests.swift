import Foundation
import TestSupport
import XCTest

/// `callconsult proxy`, run as built in front of `callconsult serve`: its lines, `--json`,
/// `--strict`, 502, and `--record` replayed by `serve --stubs`.
final class ProxyCommandTests: XCTestCase {
    static let apiKey = "k3y-NEVER-PRINTED"
    static let environment = ["ECSS_CLIENT_ID": "crm", "ECSS_API_KEY": apiKey, "ECSS_PHONE_NUMBER": "1001"]
    static let login = #"<in><request client_id="crm" api_key="k3y-NEVER-PRINTED" phone_number="1001"/></in>"#
    static let traffic: [(command: String, body: String)] = [
        ("call_hold", #"<in><request><call_hold conversation_id="c-1"/></request></in>"#),
        ("call_consult", #"<in><request><call_consult conversation_id="c-2" to_number="2002"/></request></in>"#),
        ("remove_participant", #"<in><request><remove_participant conference_id="k-1" participant_id="p-1"/></request></in>"#),
        ("call_hold", "<in>\n<request><call_hold operator_id=\"7\"/></request></in>"),
        ("monitor", #"<monitor><start><event name="calls"/></start></monitor>"#),
    ]

    private func temporaryFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("proxy-\(UUID().uuidString).jsonl").path
    }

    private func object(_ line: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], line)
    }

    func testJSONLinesAndARecordThatServeReplays() async throws {
        let record = temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: record) }
        let serve = try ServeProcess(["--port", "0", "--refuse", "c-2"], environment: Self.environment)
        let proxy = try ServeProcess(
            ["--upstream", serve.baseURL, "--port", "0", "--json", "--record", record], subcommand: "proxy")
        let lost = try await proxy.post("call_hold", Self.traffic[0].body)
        XCTAssertEqual(lost.status, 403)
        XCTAssertEqual(lost.body, "Session is not valid")
        let login = try await proxy.post("login", Self.login)
        let cookie = try XCTUnwrap(login.cookie)
        var originals: [(Int, String)] = []
        for (command, body) in Self.traffic {
            let answer = try await proxy.post(command, body, cookie: cookie)
            originals.append((answer.status, answer.body))
        }
        XCTAssertEqual(originals.map(\.0), [200, 403, 200, 400, 200])
        let (status, lines, errors) = proxy.stop()
        _ = serve.stop()
        XCTAssertEqual(status, 0, errors)
        XCTAssertEqual(lines.count, 1 + 2 + Self.traffic.count, "\(lines)")
        let cookieValue = String(cookie.split(separator: "=")[1])
        let recorded = try String(contentsOfFile: record, encoding: .utf8)
        for text in [lines.joined(separator: "\n"), errors, recorded] {
            XCTAssertFalse(text.contains(Self.apiKey), text)
            XCTAssertFalse(text.contains(cookieValue), text)
        }
        let keys = [
            "time", "domain", "command", "status", "request", "request_valid", "response_valid", "issues", "error", "duration_ms",
        ]
        for line in lines.dropFirst() {
            let fields = line.dropFirst().split(separator: ",").compactMap { $0.split(separator: ":").first }
            XCTAssertEqual(
                fields.map { $0.trimmingCharacters(in: .whitespaces) }.filter { key in keys.contains { "\"\($0)\"" == key } },
                keys.map { "\"\($0)\"" }, line)
        }
        let objects = try lines.dropFirst().map(object)
        XCTAssertEqual(objects.map { $0["status"] as? Int }, [403, 200, 200, 403, 200, 400, 200])
        XCTAssertEqual(objects.map { $0["command"] as? String }, ["call_hold", "login"] + Self.traffic.map(\.command))
        XCTAssertTrue(objects.allSatisfy { $0["domain"] as? String == "example.domain" })
        XCTAssertTrue(objects.allSatisfy { $0["error"] is NSNull })
        XCTAssertTrue(objects.allSatisfy { ($0["duration_ms"] as? Double ?? -1) >= 0 })
        XCTAssertTrue(objects[0]["response_valid"] is NSNull, "a plain-text 403 is not checked")
        XCTAssertEqual((objects[0]["issues"] as? [Any])?.count, 0)
        XCTAssertEqual(
            objects[1]["request"] as? [String: String], ["client_id": "crm", "api_key": "***", "phone_number": "1001"])
        let consult = try XCTUnwrap(objects[3]["request"] as? [String: Any])
        XCTAssertEqual(consult["conversation_id"] as? String, "c-2")
        XCTAssertEqual(consult["to_number"] as? String, "2002")
        XCTAssertTrue(consult["operator_id"] is NSNull)
        XCTAssertEqual(objects[3]["response_valid"] as? Bool, true)
        let invalid = objects[5]
        XCTAssertEqual(invalid["request_valid"] as? Bool, false)
        XCTAssertTrue(invalid["request"] is NSNull)
        let issue = try XCTUnwrap((invalid["issues"] as? [[String: Any]])?.first)
        XCTAssertEqual(issue["which"] as? String, "request")
        XCTAssertEqual(issue["line"] as? Int, 2)
        XCTAssertTrue(objects[6]["response_valid"] is NSNull, "monitor has no <out>")
        // call_hold, call_consult (its error) and remove_participant are recorded; nothing else.
        let stubs = recorded.split(separator: "\n").map(String.init)
        XCTAssertEqual(stubs.count, 3, recorded)
        XCTAssertEqual(
            stubs[1],
            #"{"answer":{"error":{"cmd":"call_consult","reason":"cannot_perform_cmd"}},"command":"call_consult","match":{"conversation_id":"c-2","to_number":"2002"},"status":403}"#
        )
        // serve --stubs (without --refuse) answers as the first serve did.
        let replay = try ServeProcess(["--port", "0", "--stubs", record], environment: Self.environment)
        let replayLogin = try await replay.post("login", Self.login)
        let again = try XCTUnwrap(replayLogin.cookie)
        for ((command, body), original) in zip(Self.traffic, originals) {
            let answer = try await replay.post(command, body, cookie: again)
            XCTAssertEqual(answer.status, original.0, command)
            XCTAssertEqual(answer.body, original.1, command)
        }
        _ = replay.stop()
    }

    func testTextLinesStrictAndAnUpstreamThatIsDown() async throws {
        let serve = try ServeProcess(["--port", "0"], environment: Self.environment)
        let proxy = try ServeProcess(["--upstream", serve.baseURL, "--port", "0", "--strict"], subcommand: "proxy")
        let login = try await proxy.post("login", Self.login)
        let strict = try await proxy.post("call_hold", Self.traffic[3].body, cookie: login.cookie)
        XCTAssertEqual(strict.status, 400)
        XCTAssertTrue(strict.body.hasPrefix("not_valid\n  2:"), strict.body)
        let (_, lines, _) = proxy.stop()
        let serveLines = serve.stop().lines
        XCTAssertEqual(serveLines.count, 2, "the invalid request never reached serve: \(serveLines)")
        XCTAssertEqual(lines.count, 3, "\(lines)")
        let pattern =
            #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z 200 "example\.domain" login request=valid response=valid \d+\.\d{3} ms$/#
        XCTAssertNotNil(try pattern.wholeMatch(in: lines[1]), lines[1])
        XCTAssertTrue(lines[2].contains(#" 400 "example.domain" call_hold request=invalid response=- "#), lines[2])
        XCTAssertTrue(
            lines[2].contains(#" error "invalid_request: the request is not valid: not_valid" issue request 2:"#), lines[2])
        XCTAssertFalse(lines.joined().contains(Self.apiKey))

        // Nothing listens on serve's port any more.
        let down = try ServeProcess(["--upstream", serve.baseURL, "--port", "0", "--json"], subcommand: "proxy")
        let answer = try await down.post("call_hold", Self.traffic[0].body)
        let again = try await down.post("call_hold", Self.traffic[0].body)
        XCTAssertEqual([answer.status, again.status], [502, 502])
        XCTAssertTrue(answer.body.hasPrefix("the upstream could not be reached"), answer.body)
        let downLines = down.stop().lines
        let object = try object(try XCTUnwrap(downLines.last))
        XCTAssertEqual(object["status"] as? Int, 502)
        XCTAssertTrue((object["error"] as? String)?.hasPrefix("upstream_unreachable: ") == true, "\(object)")
    }

    func testUsageErrors() throws {
        let runner = try CommandRunner()
        for arguments in [
            ["proxy"], ["proxy", "--upstream", "ftp://x"], ["proxy", "--upstream", "http://x", "--upstream-timeout", "0"],
            ["proxy", "--upstream", "https://x", "--ca-file", "/nonexistent.pem"],
            ["proxy", "--upstream", "http://x", "--idle-timeout", "-1"],
            ["proxy", "--upstream", "http://x", "--idle-timeout", "86401"],
        ] {
            XCTAssertEqual(try runner.run(arguments).status, 2, "\(arguments)")
        }
    }

    func testASilentClientIsClosedAfterTheIdleTimeout() async throws {
        let proxy = try ServeProcess(
            ["--upstream", "http://127.0.0.1:9", "--port", "0", "--idle-timeout", "0.3"], subcommand: "proxy")
        defer { _ = proxy.stop() }
        let port = try XCTUnwrap(URLComponents(string: proxy.baseURL)?.port)
        let (closed, waited) = try await blocking {
            let connection = try RawConnection(port: port, timeout: .seconds(10))
            let started = ContinuousClock.now
            return (connection.isClosedByServer(), ContinuousClock.now - started)
        }
        XCTAssertTrue(closed)
        XCTAssertGreaterThanOrEqual(waited, .milliseconds(250))
        XCTAssertLessThan(waited, .seconds(5), "closed by the 0.3 s timeout, not the 30 s default")
    }
}
