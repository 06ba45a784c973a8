import AsyncHTTPClient
import CallConsultClient
import CallConsultKit
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import XCTest

/// The domain every test server serves.
let testDomain = "test.domain"
/// Credentials whose API key is long and odd enough to be searched for in every text.
let testCredentials = LoginRequest(clientID: "crm", apiKey: "API-KEY-0f9e8d7c", phoneNumber: "1001")
/// The value of the session cookie the test servers set (a secret too).
let sessionCookieValue = "SESSION-VALUE-5a4b3c"

/// Programmable stand-ins for ECSS-10 built on ``TestServer``.
enum FakeECSS {
    /// The body of an ok answer.
    static let ok = Array(#"<?xml version="1.0" encoding="UTF-8"?><out><response><ok/></response></out>"#.utf8)
    /// The body of an error reply.
    static let refused = Array(
        #"<out><error reason="cannot_perform_cmd" cmd="call_consult" body="operator busy"/></out>"#.utf8)
    /// The answer headers of an XML body.
    static let xml = [("Content-Type", "application/xml; charset=utf-8")]

    /// A handler that answers a login with 200 and `cookies`, and passes every other request to
    /// `command`.
    static func handler(
        loginCookies: [String] = ["ECSS_SESSION=\(sessionCookieValue); Path=/; HttpOnly"],
        command: @escaping TestServer.Handler
    ) -> TestServer.Handler {
        { request in
            if request.uri.hasSuffix("/service/cc/arm/login") {
                return .respond(.ok, xml + loginCookies.map { ("Set-Cookie", $0) }, ok)
            }
            return await command(request)
        }
    }

    /// A handler like ``handler(loginCookies:command:)`` whose first command gets `first` and every
    /// later one `then`.
    static func handler(
        loginCookies: [String] = ["ECSS_SESSION=\(sessionCookieValue); Path=/; HttpOnly"],
        firstCommand first: TestServer.Action, then: TestServer.Action
    ) -> TestServer.Handler {
        let commands = NIOLockedValueBox(0)
        return handler(loginCookies: loginCookies) { _ in
            let count = commands.withLockedValue {
                $0 += 1
                return $0
            }
            return count == 1 ? first : then
        }
    }

    /// A client of `server` with the test credentials.
    static func client(
        _ server: TestServer, timeout: Duration = .seconds(5), limits: DecodingLimits = .default,
        httpClient: HTTPClient? = nil
    ) throws -> ECSSClient {
        let configuration = ECSSClient.Configuration(
            baseURL: server.baseURL, domain: testDomain, credentials: testCredentials, timeout: timeout, limits: limits)
        return try ECSSClient(configuration: configuration, httpClient: httpClient)
    }

    /// The requests of `server` to `command` (`login` or `call_consult`).
    static func requests(_ server: TestServer, _ command: String) -> [TestServer.Request] {
        server.requests.filter { $0.uri.hasSuffix("/service/cc/arm/\(command)") }
    }
}

/// The request a test sends.
let sampleRequest = CallConsultRequest(conversationID: "0647e098a4b48b05", toNumber: "1001", operatorID: "42")

/// Runs `body`, which must throw an ``ECSSClientError``, and returns it.
func assertClientError<T>(
    _ body: () async throws -> T, file: StaticString = #filePath, line: UInt = #line
) async -> ECSSClientError? {
    do {
        let value = try await body()
        XCTFail("expected an ECSSClientError, got \(value)", file: file, line: line)
    } catch let error as ECSSClientError {
        XCTAssertFalse("\(error)".contains(testCredentials.apiKey), "API key in \(error)", file: file, line: line)
        XCTAssertFalse("\(error)".contains(sessionCookieValue), "cookie value in \(error)", file: file, line: line)
        return error
    } catch {
        XCTFail("expected an ECSSClientError, got \(type(of: error)): \(error)", file: file, line: line)
    }
    return nil
}

/// Awaits `call`, which was cancelled, and checks that it threw `CancellationError`.
func assertCancelled<T: Sendable>(
    _ call: Task<T, any Error>, file: StaticString = #filePath, line: UInt = #line
) async {
    do {
        _ = try await call.value
        XCTFail("a cancelled call returned", file: file, line: line)
    } catch {
        XCTAssertTrue(error is CancellationError, "\(type(of: error)): \(error)", file: file, line: line)
    }
}
