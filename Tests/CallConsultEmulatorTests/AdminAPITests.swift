import AsyncHTTPClient
import CallConsultEmulator
import CallConsultKit
import Foundation
import NIOCore
import NIOHTTP1
import XCTest

/// The admin API as a client in another language uses it: JSON over HTTP, under `/__admin/`.
final class AdminAPITests: XCTestCase {
    private static func configuration(admin: Bool = true) -> ECSSEmulator.Configuration {
        var configuration = Fixtures.configuration()
        configuration.adminAPI = admin
        return configuration
    }

    /// Sends `body` with `method` to `path`; the status and the body parsed as JSON (or `nil`).
    private static func admin(
        _ running: ECSSEmulator.Running, _ method: HTTPMethod, _ path: String, _ body: String? = nil
    ) async throws -> (status: Int, json: Any?, text: String) {
        var request = HTTPClientRequest(url: running.baseURL + path)
        request.method = method
        if let body {
            request.body = .bytes(ByteBuffer(string: body))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 22))
        return (Int(response.status.code), try? JSONSerialization.jsonObject(with: Data(text.utf8)), text)
    }

    func testAdminPathsAre404UnlessEnabled() async throws {
        try await ECSSEmulator.withRunning(configuration: Self.configuration(admin: false)) { running in
            let answer = try await Self.admin(running, .GET, "/__admin/stubs")
            XCTAssertEqual(answer.status, 404)
        }
    }

    func testStubsExchangesScenariosSessionsAndReset() async throws {
        try await ECSSEmulator.withRunning(configuration: Self.configuration()) { running in
            let created = try await Self.admin(
                running, .POST, "/__admin/stubs",
                #"{"command": "call_hold", "match": {"conversation_id": "c-1"}, "answer": {"error": {"reason": "busy"}}, "times": 2, "scenario": "s"}"#
            )
            XCTAssertEqual(created.status, 201, created.text)
            let id = try XCTUnwrap((created.json as? [String: Any])?["id"] as? String)
            XCTAssertEqual(running.emulator.stubs.map(\.id), [id], "one store for Swift and HTTP")

            let listed = try await Self.admin(running, .GET, "/__admin/stubs")
            let stubs = try XCTUnwrap((listed.json as? [String: Any])?["stubs"] as? [[String: Any]])
            XCTAssertEqual(stubs.first?["id"] as? String, id)
            XCTAssertEqual(stubs.first?["remaining"] as? Int, 2)
            XCTAssertEqual((stubs.first?["match"] as? [String: String])?["conversation_id"], "c-1")

            let scenarios = try await Self.admin(running, .GET, "/__admin/scenarios")
            XCTAssertEqual((scenarios.json as? [String: Any])?["scenarios"] as? [String: String], ["s": "Started"])

            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            let hold = #"<in><request><call_hold conversation_id="c-1"/></request></in>"#
            let status1 = try await http.send("call_hold", body: hold, cookie: cookie).status
            XCTAssertEqual(status1, 403)

            let journal = try await Self.admin(running, .GET, "/__admin/exchanges?command=call_hold")
            let exchanges = try XCTUnwrap((journal.json as? [String: Any])?["exchanges"] as? [[String: Any]])
            XCTAssertEqual(exchanges.count, 1, journal.text)
            let exchange = exchanges[0]
            XCTAssertEqual(exchange["seq"] as? Int, 2)
            XCTAssertEqual(exchange["outcome"] as? String, "error")
            XCTAssertEqual(exchange["status"] as? Int, 403)
            XCTAssertEqual(exchange["stub"] as? String, id)
            XCTAssertEqual(exchange["carried_out"] as? Bool, true)
            XCTAssertEqual((exchange["request"] as? [String: Any])?["conversation_id"] as? String, "c-1")
            XCTAssertEqual(((exchange["response"] as? [String: Any])?["error"] as? [String: Any])?["reason"] as? String, "busy")
            for key in ["time", "domain", "command", "refusal", "fault"] { XCTAssertNotNil(exchange[key], key) }

            let all = try await Self.admin(running, .GET, "/__admin/exchanges")
            XCTAssertFalse(all.text.contains("s3cret"), "the API key never appears")
            XCTAssertTrue(all.text.contains(#""api_key": "***""#), all.text)
            let since = try await Self.admin(running, .GET, "/__admin/exchanges?since=1")
            XCTAssertEqual(((since.json as? [String: Any])?["exchanges"] as? [Any])?.count, 1)

            let status2 = try await Self.admin(running, .DELETE, "/__admin/sessions").status
            XCTAssertEqual(status2, 204)
            let status3 = try await http.send("call_hold", body: hold, cookie: cookie).status
            XCTAssertEqual(status3, 403)
            XCTAssertEqual(running.exchanges.last?.outcome, .refused(.noSession))

            let status4 = try await Self.admin(running, .DELETE, "/__admin/stubs/\(id)").status
            XCTAssertEqual(status4, 204)
            let status5 = try await Self.admin(running, .DELETE, "/__admin/stubs/\(id)").status
            XCTAssertEqual(status5, 404)
            let status6 = try await Self.admin(running, .DELETE, "/__admin/exchanges").status
            XCTAssertEqual(status6, 204)
            XCTAssertTrue(running.exchanges.isEmpty)
            let status7 = try await Self.admin(running, .POST, "/__admin/scenarios/reset").status
            XCTAssertEqual(status7, 204)
            let status8 = try await Self.admin(running, .POST, "/__admin/reset").status
            XCTAssertEqual(status8, 204)
            XCTAssertTrue(running.emulator.scenarios.isEmpty)
        }
    }

    func testAFaultedExchangeInTheJournal() async throws {
        try await ECSSEmulator.withRunning(configuration: Self.configuration()) { running in
            let created = try await Self.admin(
                running, .POST, "/__admin/stubs",
                #"{"command": "call_hold", "fault": {"kind": "http", "status": 502, "body": "<html/>", "content_type": "text/html"}}"#
            )
            XCTAssertEqual(created.status, 201, created.text)
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            let answer = try await http.send(
                "call_hold", body: #"<in><request><call_hold conversation_id="c-1"/></request></in>"#, cookie: cookie)
            XCTAssertEqual(answer.status, 502)
            XCTAssertEqual(answer.contentType, "text/html")
            let journal = try await Self.admin(running, .GET, "/__admin/exchanges?since=1")
            let exchange = try XCTUnwrap(((journal.json as? [String: Any])?["exchanges"] as? [[String: Any]])?.first)
            XCTAssertEqual(exchange["outcome"] as? String, "fault")
            XCTAssertEqual(exchange["fault"] as? String, "http")
            XCTAssertEqual(exchange["status"] as? Int, 502)
            XCTAssertEqual(exchange["carried_out"] as? Bool, false)
        }
    }

    func testHostileAdminInputIsRefusedNamingTheField() async throws {
        try await ECSSEmulator.withRunning(configuration: Self.configuration()) { running in
            let cases: [(String, String?)] = [
                ("not json", nil),
                (#"{"command": "call_hold", "answr": {"ok": true}}"#, "answr"),
                (#"{"command": "call_hold", "fault": {"kind": "http"}}"#, "fault.status"),
                (
                    #"{"command": "call_hold", "match": {"conversation_id": "c"}, "fault": {"kind": "reset_before_body"}}"#,
                    "match"
                ),
                (#"{"command": "login", "answer": {"ok": true}}"#, "answer"),
                (#"{"command": "call_hold", "answer": {"error": {}}}"#, "answer.error.reason"),
            ]
            for (body, field) in cases {
                let answer = try await Self.admin(running, .POST, "/__admin/stubs", body)
                XCTAssertEqual(answer.status, 400, body)
                let json = try XCTUnwrap(answer.json as? [String: Any], answer.text)
                XCTAssertEqual(json["field"] as? String, field, answer.text)
                XCTAssertNotNil(json["error"] as? String)
            }
            let huge = try await Self.admin(
                running, .POST, "/__admin/stubs",
                #"{"command": "call_hold", "domain": ""# + String(repeating: "a", count: 2 << 20) + #""}"#)
            XCTAssertEqual(huge.status, 413)
            let badSince = try await Self.admin(running, .GET, "/__admin/exchanges?since=-1")
            XCTAssertEqual((badSince.json as? [String: Any])?["field"] as? String, "since")
            let unknown = try await Self.admin(running, .GET, "/__admin/exchanges?sinc=1")
            XCTAssertEqual((unknown.json as? [String: Any])?["field"] as? String, "sinc")
            let status9 = try await Self.admin(running, .PUT, "/__admin/stubs").status
            XCTAssertEqual(status9, 405)
            let status10 = try await Self.admin(running, .GET, "/__admin/nothing").status
            XCTAssertEqual(status10, 404)
            XCTAssertTrue(running.emulator.stubs.isEmpty)
            // The emulator keeps serving.
            _ = try await EmulatorHTTP(running: running).login()
        }
    }
}
