import Foundation
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `callconsult serve --stubs FILE` and `--admin`, run as built.
final class ServeStubsTests: XCTestCase {
    private static let environment = ["ECSS_CLIENT_ID": "crm-1", "ECSS_API_KEY": "s3cret-api-key", "ECSS_PHONE_NUMBER": "1001"]
    private static let login = #"<in><request client_id="crm-1" api_key="s3cret-api-key" phone_number="1001"/></in>"#

    private func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stubs-\(UUID().uuidString).jsonl")
        try Data(text.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func testStubsFromAFileAnswerBeforeTheFirstLineAndTheAdminAPILists() async throws {
        let stubs = try file(
            #"{"command": "call_hold", "match": {"conversation_id": "c-9"}, "answer": {"error": {"reason": "busy"}}}"# + "\n\n"
                + #"{"command": "auxwork", "fault": {"kind": "http", "status": 503, "headers": {"Retry-After": "2"}}}"# + "\n")
        let serve = try ServeProcess(["--port", "0", "--json", "--admin", "--stubs", stubs], environment: Self.environment)
        let login = try await serve.post("login", Self.login)
        let cookie = try XCTUnwrap(login.cookie)
        let hold = try await serve.post(
            "call_hold", #"<in><request><call_hold conversation_id="c-9"/></request></in>"#, cookie: cookie)
        XCTAssertEqual(hold.status, 403)
        XCTAssertTrue(hold.body.contains(#"reason="busy""#), hold.body)
        let aux = try await serve.post("auxwork", #"<in><request><auxwork reason="lunch"/></request></in>"#, cookie: cookie)
        XCTAssertEqual(aux.status, 503)
        let url = try XCTUnwrap(URL(string: serve.baseURL + "/__admin/stubs"))
        let (data, response) = try await URLSession.shared.data(from: url)
        XCTAssertEqual((response as? HTTPURLResponse)?.statusCode, 200)
        let listed = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual((listed["stubs"] as? [Any])?.count, 2)
        let (_, lines, _) = serve.stop()
        XCTAssertTrue(lines.contains { $0.contains(#""outcome": "fault""#) && $0.contains(#""fault": "http""#) }, "\(lines)")
    }

    func testABadLineIsAUsageErrorNamingIt() throws {
        let stubs = try file(#"{"command": "call_hold"}"# + "\n" + #"{"command": "call_hold", "fault": {"kind": "http"}}"# + "\n")
        let run = try CommandRunner().run(["serve", "--port", "0", "--stubs", stubs], environment: Self.environment)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("\(stubs):2: fault.status"), run.stderr)
        XCTAssertEqual(run.stdout, "")
    }

    func testAdminPathsAre404WithoutAdmin() async throws {
        let serve = try ServeProcess(["--port", "0"], environment: Self.environment)
        let url = try XCTUnwrap(URL(string: serve.baseURL + "/__admin/stubs"))
        let (_, response) = try await URLSession.shared.data(from: url)
        XCTAssertEqual((response as? HTTPURLResponse)?.statusCode, 404)
        _ = serve.stop()
    }
}
