import AsyncHTTPClient
import CallConsultClient
import CallConsultKit
import NIOCore
import NIOHTTP1
import XCTest

/// The client against servers that answer badly, slowly, or not at all.
final class MisbehavingServerTests: XCTestCase {
    func testBadGatewayWithHTMLIsAnUnexpectedStatusAndNotResent() async throws {
        let html = Array("<html>\n<body><h1>502 Bad Gateway</h1>\n</body></html>\n".utf8)
        let handler = FakeECSS.handler { _ in .respond(.badGateway, [("Content-Type", "text/html")], html) }
        try await TestServer.withServer(handler: handler) { server in
            let client = try FakeECSS.client(server)
            let error = await assertClientError { try await client.callConsult(sampleRequest) }
            XCTAssertEqual(error?.kind, .unexpectedStatus)
            XCTAssertEqual(error?.kind.code, "unexpected_status")
            XCTAssertEqual(error?.status, 502)
            XCTAssertEqual(error?.contentType, "text/html")
            XCTAssertEqual(error?.bodyExcerpt, #"<html>\n<body><h1>502 Bad Gateway</h1>\n</body></html>"#)
            XCTAssertEqual(error?.mayHaveBeenDelivered, true)
            XCTAssertEqual(FakeECSS.requests(server, "call_consult").count, 1)
        }
    }

    func testAServerThatStallsPastTheTimeoutTimesOut() async throws {
        let handler = FakeECSS.handler { _ in .stall }
        try await TestServer.withServer(handler: handler) { server in
            let client = try FakeECSS.client(server, timeout: .milliseconds(300))
            let error = await assertClientError { try await client.callConsult(sampleRequest) }
            XCTAssertEqual(error?.kind, .timeout)
            XCTAssertEqual(error?.mayHaveBeenDelivered, true)
            XCTAssertNil(error?.status)
            XCTAssertEqual(FakeECSS.requests(server, "call_consult").count, 1)
        }
    }

    func testABodyThatStallsAfterTheHeadTimesOut() async throws {
        let handler = FakeECSS.handler { _ in .stallAfterHead(.ok, FakeECSS.xml, Array("<out>".utf8)) }
        try await TestServer.withServer(handler: handler) { server in
            let client = try FakeECSS.client(server, timeout: .milliseconds(300))
            let error = await assertClientError { try await client.callConsult(sampleRequest) }
            XCTAssertEqual(error?.kind, .timeout)
            XCTAssertEqual(error?.mayHaveBeenDelivered, true)
        }
    }

    func testALoginThatStallsTimesOutAndTheCommandIsNotSent() async throws {
        try await TestServer.withServer(handler: TestServer.always(.stall)) { server in
            let client = try FakeECSS.client(server, timeout: .milliseconds(300))
            let error = await assertClientError { try await client.callConsult(sampleRequest) }
            XCTAssertEqual(error?.kind, .timeout)
            XCTAssertEqual(error?.mayHaveBeenDelivered, false)
            XCTAssertEqual(FakeECSS.requests(server, "call_consult").count, 0)
        }
    }

    func testCallsWaitingForAStalledSharedLoginTimeOutWithTheirOwnDeadline() async throws {
        try await TestServer.withServer(handler: TestServer.always(.stall)) { server in
            let client = try FakeECSS.client(server, timeout: .milliseconds(300))
            await withTaskGroup(of: ECSSClientError?.self) { group in
                for _ in 0..<3 {
                    group.addTask { await assertClientError { try await client.callConsult(sampleRequest) } }
                }
                for await error in group {
                    XCTAssertEqual(error?.kind, .timeout)
                    XCTAssertEqual(error?.mayHaveBeenDelivered, false)
                }
            }
            // Usually one login, shared; a waiter whose deadline is later than the first caller's
            // (tasks start late on a loaded machine) may try a login of its own once that one failed.
            XCTAssertTrue((1...3).contains(FakeECSS.requests(server, "login").count))
            XCTAssertEqual(FakeECSS.requests(server, "call_consult").count, 0)
        }
    }

    func testAnAnswerOverTheSizeLimitIsRefusedAsTooLarge() async throws {
        let huge = Array("<out><response><ok/></response></out>".utf8) + [UInt8](repeating: 0x20, count: 1 << 20)
        let handler = FakeECSS.handler { _ in .respond(.ok, FakeECSS.xml, huge) }
        try await TestServer.withServer(handler: handler) { server in
            let client = try FakeECSS.client(server, limits: DecodingLimits(maxBodyBytes: 4096))
            let error = await assertClientError { try await client.callConsult(sampleRequest) }
            XCTAssertEqual(error?.kind, .invalidResponse)
            XCTAssertEqual((error?.cause as? DocumentError)?.kind, .tooLarge)
            XCTAssertEqual(error?.mayHaveBeenDelivered, true)
        }
    }

    func testAnXMLAnswerThatIsNotAnOutDocumentIsAnInvalidResponse() async throws {
        let handler = FakeECSS.handler { _ in .respond(.ok, FakeECSS.xml, Array("<out><response/></out>".utf8)) }
        try await TestServer.withServer(handler: handler) { server in
            let error = await assertClientError { try await FakeECSS.client(server).callConsult(sampleRequest) }
            XCTAssertEqual(error?.kind, .invalidResponse)
            XCTAssertEqual((error?.cause as? DocumentError)?.kind, .notValid)
            XCTAssertEqual(error?.status, 200)
        }
    }

    func testAResetOrClosedConnectionIsATransportFailureThatMayHaveBeenDelivered() async throws {
        for action in [TestServer.Action.reset, .close] {
            let handler = FakeECSS.handler { _ in action }
            try await TestServer.withServer(handler: handler) { server in
                let error = await assertClientError { try await FakeECSS.client(server).callConsult(sampleRequest) }
                XCTAssertEqual(error?.kind, .transport, "\(action)")
                XCTAssertEqual(error?.mayHaveBeenDelivered, true, "\(action)")
                XCTAssertNotNil(error?.cause)
                XCTAssertEqual(FakeECSS.requests(server, "call_consult").count, 1, "never resent")
            }
        }
    }

    func testTheClientsOwnHTTPClientSendsNothingToARedirectsTarget() async throws {
        // Without an HTTPClient of the caller's, no redirect is followed: the 3xx itself is the
        // error, and its target never hears of the command (nor of a GET).
        let statuses: [HTTPResponseStatus] = [.movedPermanently, .found, .seeOther, .temporaryRedirect, .permanentRedirect]
        for status in statuses {
            let handler = FakeECSS.handler { request in
                request.uri.hasPrefix("/elsewhere")
                    ? .respond(.ok, FakeECSS.xml, FakeECSS.ok)
                    : .respond(status, [("Location", "/elsewhere/call_consult")], [])
            }
            try await TestServer.withServer(handler: handler) { server in
                let error = await assertClientError { try await FakeECSS.client(server).callConsult(sampleRequest) }
                XCTAssertEqual(error?.kind, .unexpectedStatus, "\(status)")
                XCTAssertEqual(error?.status, Int(status.code))
                XCTAssertEqual(error?.mayHaveBeenDelivered, true, "\(status)")
                XCTAssertEqual(
                    error?.message,
                    "ECSS-10 answered call_consult with a redirect (status \(status.code) to /elsewhere/call_consult),"
                        + " which is never followed")
                XCTAssertFalse(server.requests.contains { $0.uri.hasPrefix("/elsewhere") }, "\(status)")
                XCTAssertEqual(FakeECSS.requests(server, "call_consult").count, 1, "never resent after \(status)")
            }
        }
    }

    func testARedirectsLocationNeverShowsTheSessionCookie() async throws {
        // A server that rewrites URLs puts the session it was sent into the Location it redirects
        // to; the redirect's error quotes that Location.
        let handler = FakeECSS.handler { _ in
            .respond(.found, [("Location", "/elsewhere;ECSS_SESSION=\(sessionCookieValue)")], [])
        }
        try await TestServer.withServer(handler: handler) { server in
            let error = await assertClientError { try await FakeECSS.client(server).callConsult(sampleRequest) }
            XCTAssertEqual(error?.kind, .unexpectedStatus)
            XCTAssertEqual(error?.status, 302)
            XCTAssertEqual(error?.message.contains("to /elsewhere;ECSS_SESSION="), true, error?.message ?? "")
        }
    }

    func testARedirectFollowedByTheHTTPClientIsRefusedAndTheCommandNeverResent() async throws {
        // `.shared` follows redirects (a GET without the body on 301, 302 and 303); the client
        // refuses whatever answer that GET got, here a plain-text 403 that would look like a lost
        // session.
        let statuses: [HTTPResponseStatus] = [.movedPermanently, .found, .seeOther, .temporaryRedirect, .permanentRedirect]
        for status in statuses {
            let handler = FakeECSS.handler { request in
                request.uri.hasPrefix("/elsewhere")
                    ? .respond(.forbidden, [("Content-Type", "text/plain")], Array("Session is not valid".utf8))
                    : .respond(status, [("Location", "/elsewhere/login")], [])
            }
            try await TestServer.withServer(handler: handler) { server in
                let client = try FakeECSS.client(server, httpClient: .shared)
                let error = await assertClientError { try await client.callConsult(sampleRequest) }
                XCTAssertEqual(error?.kind, .unexpectedStatus, "\(status)")
                XCTAssertEqual(error?.status, Int(status.code), "the first answer's status")
                XCTAssertEqual(error?.mayHaveBeenDelivered, true, "\(status)")
                let posts = server.requests.filter { $0.method == .POST && $0.uri.hasSuffix("/call_consult") }
                XCTAssertEqual(posts.count, 1, "never resent after \(status)")
                XCTAssertEqual(FakeECSS.requests(server, "login").count, 1, "no new login after \(status)")
            }
        }
    }

    func testConnectionRefusedIsATransportFailureNotDelivered() async throws {
        let port = try await TestServer.withServer(handler: TestServer.always(.close)) { $0.port }  // bound, then closed
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        let httpClient = HTTPClient(eventLoopGroup: .singletonMultiThreadedEventLoopGroup, configuration: configuration)
        let client = try ECSSClient(
            configuration: .init(baseURL: "http://127.0.0.1:\(port)", domain: testDomain, credentials: testCredentials),
            httpClient: httpClient)
        let error = await assertClientError { try await client.callConsult(sampleRequest) }
        try await httpClient.shutdown()
        XCTAssertEqual(error?.kind, .transport)
        XCTAssertEqual(error?.mayHaveBeenDelivered, false)
        XCTAssertNil(error?.status)
    }

    func testConnectionRefusedWithRetriesEndsAtTheConnectTimeout() async throws {
        let port = try await TestServer.withServer(handler: TestServer.always(.close)) { $0.port }
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .milliseconds(300)
        let httpClient = HTTPClient(eventLoopGroup: .singletonMultiThreadedEventLoopGroup, configuration: configuration)
        let client = try ECSSClient(
            configuration: .init(baseURL: "http://127.0.0.1:\(port)", domain: testDomain, credentials: testCredentials),
            httpClient: httpClient)
        let error = await assertClientError { try await client.callConsult(sampleRequest) }
        try await httpClient.shutdown()
        // AsyncHTTPClient retries a refused connection until its connect timeout, then reports the
        // last failure (or a connect timeout): never delivered either way.
        XCTAssertTrue([ECSSClientError.Kind.transport, .timeout].contains(error?.kind), "\(String(describing: error))")
        XCTAssertEqual(error?.mayHaveBeenDelivered, false)
    }

    func testCancellationThrowsCancellationErrorAndCancelsTheRequest() async throws {
        let handler = FakeECSS.handler { _ in .stall }
        try await TestServer.withServer(handler: handler) { server in
            let client = try FakeECSS.client(server, timeout: .seconds(60))
            let call = Task { try await client.callConsult(sampleRequest) }
            for _ in 0..<500 where FakeECSS.requests(server, "call_consult").isEmpty {
                try await Task.sleep(for: .milliseconds(10))
            }
            XCTAssertEqual(FakeECSS.requests(server, "call_consult").count, 1)
            call.cancel()
            await assertCancelled(call)
        }
    }

    func testCancellationWhileWaitingForASharedLogin() async throws {
        try await TestServer.withServer(handler: TestServer.always(.stall)) { server in
            let client = try FakeECSS.client(server, timeout: .seconds(60))
            let first = Task { try await client.callConsult(sampleRequest) }
            let second = Task { try await client.callConsult(sampleRequest) }
            for _ in 0..<500 where FakeECSS.requests(server, "login").isEmpty {
                try await Task.sleep(for: .milliseconds(10))
            }
            second.cancel()
            first.cancel()
            for call in [first, second] {
                await assertCancelled(call)
            }
            XCTAssertEqual(FakeECSS.requests(server, "login").count, 1)
        }
    }
}
