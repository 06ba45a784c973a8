import AsyncHTTPClient
import CallConsultEmulator
import CallConsultKit
import XCTest

final class LoginTests: XCTestCase {
    func testTheConfiguredCredentialsLogInWithTheLoginOutAndASessionCookie() async throws {
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            let http = EmulatorHTTP(running: running)
            let answer = try await http.send("login", body: Fixtures.loginBody(Fixtures.credentials))
            XCTAssertEqual(answer.status, 200)
            XCTAssertEqual(answer.contentType, CommandResponse.contentType)
            XCTAssertEqual(answer.body, Fixtures.loginOK)
            XCTAssertEqual(try CallConsultCodec().decodeLoginResponse(Array(answer.body.utf8)), .ok)
            let cookie = try XCTUnwrap(answer.setCookie)
            let parts = cookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            XCTAssertEqual(parts.dropFirst(), ["Path=/example.domain/service/cc/arm", "HttpOnly"])
            let pair = parts[0].split(separator: "=", maxSplits: 1).map(String.init)
            XCTAssertEqual(pair.first, ECSSEmulator.sessionCookieName)
            let value = try XCTUnwrap(pair.last)
            XCTAssertEqual(value.count, 32, "128 bits in hex")
            XCTAssertTrue(value.allSatisfy(\.isHexDigit))
            // Every login opens a session of its own.
            let second = try await http.login()
            XCTAssertNotEqual(second, parts[0])
        }
    }

    func testAnythingElseIsRefusedWithPlainTextInvalidCredentials() async throws {
        let other = Fixtures.credentials
        let cases: [(label: String, body: String?, refusal: String)] = [
            (
                "wrong API key",
                Fixtures.loginBody(LoginRequest(clientID: other.clientID, apiKey: "guess", phoneNumber: other.phoneNumber)),
                "invalid_credentials"
            ),
            (
                "wrong client id",
                Fixtures.loginBody(LoginRequest(clientID: "crm-2", apiKey: other.apiKey, phoneNumber: other.phoneNumber)),
                "invalid_credentials"
            ),
            (
                "wrong phone number",
                Fixtures.loginBody(LoginRequest(clientID: other.clientID, apiKey: other.apiKey, phoneNumber: "1002")),
                "invalid_credentials"
            ),
            ("a call_consult body", Fixtures.consult(), "invalid_login"),
            ("not XML", "client_id=crm-1", "invalid_login"),
            ("no body", nil, "invalid_login"),
            (
                "a DOCTYPE",
                #"<!DOCTYPE in [<!ENTITY x "y">]><in><request client_id="crm-1" api_key="s3cret-api-key" phone_number="1001"/></in>"#,
                "invalid_login"
            ),
        ]
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            let http = EmulatorHTTP(running: running)
            for (label, body, refusal) in cases {
                let answer = try await http.send("login", body: body)
                XCTAssertEqual(answer.status, 403, label)
                XCTAssertEqual(answer.body, "Invalid credentials", label)
                XCTAssertEqual(answer.contentType, "text/plain; charset=utf-8", label)
                XCTAssertNil(answer.setCookie, label)
                guard case .refused(let recorded)? = running.exchanges.last?.outcome else {
                    XCTFail("\(label): not recorded as refused")
                    continue
                }
                XCTAssertEqual(recorded.code, refusal, label)
            }
        }
    }

    func testEveryAcceptedCredentialSetLogsIn() async throws {
        var configuration = Fixtures.configuration()
        let second = LoginRequest(clientID: "crm-2", apiKey: "other-key", phoneNumber: "1002")
        configuration.additionalCredentials = [second]
        XCTAssertEqual(configuration.acceptedCredentials, [Fixtures.credentials, second])
        try await ECSSEmulator.withRunning(configuration: configuration) { running in
            let http = EmulatorHTTP(running: running)
            _ = try await http.login()
            _ = try await http.login(second)
            let mixed = LoginRequest(clientID: "crm-2", apiKey: Fixtures.credentials.apiKey, phoneNumber: "1002")
            let refused = try await http.send("login", body: Fixtures.loginBody(mixed))
            XCTAssertEqual(refused.status, 403, "each set's three values together")
            XCTAssertEqual(
                running.exchanges.map(\.outcome),
                [.loggedIn(Fixtures.credentials), .loggedIn(second), .refused(.invalidCredentials(mixed))])
        }
    }
}
