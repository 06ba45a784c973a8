import AsyncHTTPClient
import CallConsultEmulator
import CallConsultKit
import NIOCore
import NIOHTTP1
import XCTest

/// One answer as the tests see it.
struct HTTPAnswer {
    var status: Int
    var contentType: String?
    var setCookie: String?
    var allow: String?
    var body: String

    /// The `ECSS_SESSION=…` pair of the `Set-Cookie` header, as a `Cookie` header sends it back.
    var sessionCookie: String? {
        setCookie?.split(separator: ";").first.map { String($0) }
    }
}

/// Sends requests to a running emulator with AsyncHTTPClient.
struct EmulatorHTTP {
    let running: ECSSEmulator.Running
    var domain = "example.domain"
    /// The client that sends: the shared one unless a test needs its own (e.g. to trust a certificate).
    var httpClient: HTTPClient = .shared

    /// Sends `body` to `command` of `domain`, with `cookie` as the `Cookie` header.
    func send(
        _ command: String, body: String?, cookie: String? = nil, method: HTTPMethod = .POST, domain: String? = nil
    ) async throws -> HTTPAnswer {
        try await send(path: "/\(domain ?? self.domain)/service/cc/arm/\(command)", body: body, cookie: cookie, method: method)
    }

    /// Sends `body` to any path.
    func send(path: String, body: String?, cookie: String? = nil, method: HTTPMethod = .POST) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: running.baseURL + path)
        request.method = method
        if let body {
            request.body = .bytes(ByteBuffer(string: body))
            request.headers.add(name: "Content-Type", value: CommandResponse.contentType)
        }
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        let response = try await httpClient.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return HTTPAnswer(
            status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type"),
            setCookie: response.headers.first(name: "Set-Cookie"), allow: response.headers.first(name: "Allow"),
            body: String(buffer: bytes))
    }

    /// Logs in with `credentials` and returns the cookie to send back.
    func login(_ credentials: LoginRequest = Fixtures.credentials, domain: String? = nil) async throws -> String {
        let answer = try await send("login", body: Fixtures.loginBody(credentials), domain: domain)
        XCTAssertEqual(answer.status, 200, answer.body)
        return try XCTUnwrap(answer.sessionCookie)
    }
}

/// Credentials, bodies and configurations the tests share.
enum Fixtures {
    static let credentials = LoginRequest(clientID: "crm-1", apiKey: "s3cret-api-key", phoneNumber: "1001")

    static func configuration() -> ECSSEmulator.Configuration {
        ECSSEmulator.Configuration(credentials: credentials)
    }

    static func loginBody(_ login: LoginRequest) -> String {
        String(decoding: (try? CallConsultCodec().encode(login)) ?? [], as: UTF8.self)
    }

    static func consult(_ conversationID: String = "0647e098a4b48b05", toNumber: String = "1002") -> String {
        #"<in><request><call_consult conversation_id="\#(conversationID)" to_number="\#(toNumber)"/></request></in>"#
    }

    static let loginOK =
        #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        + #"<out xmlns:xs="http://www.w3.org/2001/XMLSchema-instance" xs:noNamespaceSchemaLocation="login.xsd"><response><ok/></response></out>"#
        + "\n"
    static let consultOK =
        #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        + #"<out xmlns:xs="http://www.w3.org/2001/XMLSchema-instance" xs:noNamespaceSchemaLocation="call_consult.xsd"><response><ok/></response></out>"#
        + "\n"
}
