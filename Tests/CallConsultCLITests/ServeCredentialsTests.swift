import Foundation
import XCTest

/// `callconsult serve --credentials FILE`, and the refusal codes in its help, run as built.
final class ServeCredentialsTests: XCTestCase {
    private func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("credentials-\(UUID().uuidString).jsonl")
        try Data(text.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    private static func login(_ clientID: String, _ apiKey: String, _ phone: String) -> String {
        #"<in><request client_id="\#(clientID)" api_key="\#(apiKey)" phone_number="\#(phone)"/></in>"#
    }

    func testEverySetOfTheFileLogsInAndNoKeyIsPrinted() async throws {
        let credentials = try file(
            #"{"client_id": "crm-1", "api_key": "first-secret", "phone_number": "1001"}"# + "\n\n"
                + #"{"client_id": "crm-2", "api_key": "second-secret", "phone_number": "1002"}"# + "\n")
        let serve = try ServeProcess(["--port", "0", "--json", "--credentials", credentials])
        let first = try await serve.post("login", Self.login("crm-1", "first-secret", "1001"))
        XCTAssertEqual(first.status, 200)
        let second = try await serve.post("login", Self.login("crm-2", "second-secret", "1002"))
        XCTAssertEqual(second.status, 200)
        let mixed = try await serve.post("login", Self.login("crm-2", "first-secret", "1002"))
        XCTAssertEqual(mixed.status, 403)
        let (status, lines, stderr) = serve.stop()
        XCTAssertEqual(status, 0, stderr)
        XCTAssertEqual(lines.filter { $0.contains(#""outcome": "logged_in""#) }.count, 2, "\(lines)")
        for text in lines + [stderr] {
            XCTAssertFalse(text.contains("secret"), text)
        }
    }

    func testTheOptionsAddTheFirstSet() async throws {
        let credentials = try file(#"{"client_id": "crm-2", "api_key": "k2", "phone_number": "1002"}"# + "\n")
        let serve = try ServeProcess(
            ["--port", "0", "--credentials", credentials, "--client-id", "crm-1", "--api-key", "k1", "--phone-number", "1001"])
        let fromOptions = try await serve.post("login", Self.login("crm-1", "k1", "1001"))
        XCTAssertEqual(fromOptions.status, 200)
        let fromFile = try await serve.post("login", Self.login("crm-2", "k2", "1002"))
        XCTAssertEqual(fromFile.status, 200)
        XCTAssertEqual(serve.stop().status, 0)
    }

    func testABadLineIsAUsageErrorNamingItWithoutItsValues() throws {
        let cases: [(line: String, message: String)] = [
            (#"{"client_id": "crm-2", "phone_number": "1002"}"#, ":2: api_key: required"),
            (
                #"{"client_id": "crm-2", "api_key": "leaked-secret", "phone_number": 1002}"#,
                ":2: phone_number: not a non-empty string"
            ),
            (#"{"client_id": "crm-2", "api_key": "leaked-secret", "phone_number": "1", "x": 1}"#, ":2: x: unknown key"),
            (#"{"client_id": "crm-2", "api_key": "leaked-secret"#, ":2: not a JSON object"),
        ]
        for (line, message) in cases {
            let credentials = try file(#"{"client_id": "crm-1", "api_key": "ok-secret", "phone_number": "1001"}"# + "\n" + line)
            let run = try CommandRunner().run(["serve", "--port", "0", "--credentials", credentials], environment: [:])
            XCTAssertEqual(run.status, 2, line)
            XCTAssertTrue(run.stderr.contains(credentials + message), "\(line): \(run.stderr)")
            XCTAssertFalse(run.stderr.contains("secret"), run.stderr)
            XCTAssertEqual(run.stdout, "")
        }
        let empty = try file("\n")
        let run = try CommandRunner().run(["serve", "--port", "0", "--credentials", empty], environment: [:])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("holds no credentials"), run.stderr)
    }

    func testTheHelpListsTheRefusalCodes() throws {
        let run = try CommandRunner().run(["serve", "--help"], environment: [:])
        XCTAssertEqual(run.status, 0)
        let help = run.stdout.replacingOccurrences(of: "\n", with: " ")
        for code in [
            "no_session", "session_expired", "invalid_credentials", "invalid_login", "invalid_request", "too_large",
            "unknown_domain", "unknown_path", "unknown_event", "method_not_allowed",
        ] {
            XCTAssertTrue(help.contains(code), code)
        }
    }
}
