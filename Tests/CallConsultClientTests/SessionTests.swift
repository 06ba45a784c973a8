import CallConsultClient
import CallConsultKit
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import XCTest

/// Logging in, sharing the login, keeping cookies, and the one resend after a lost session.
final class SessionTests: XCTestCase {
    func testLogsInOnceThenSendsTheCommandWithTheSessionCookie() async throws {
        try await TestServer.withServer(handler: FakeECSS.handler { _ in .respond(.ok, FakeECSS.xml, FakeECSS.ok) }) { server in
            let client = try FakeECSS.client(server)
            let first = try await client.send(sampleRequest)
            XCTAssertEqual(first, ECSSClient.Answer(status: 200, response: .ok))
            let response = try await client.callConsult(sampleRequest)
            XCTAssertEqual(response, .ok)

            let logins = FakeECSS.requests(server, "login")
            XCTAssertEqual(logins.count, 1)
            XCTAssertEqual(logins.first?.uri, "/\(testDomain)/service/cc/arm/login")
            XCTAssertEqual(try CallConsultCodec().decodeLoginRequest(logins.first?.body ?? []), testCredentials)
            let commands = FakeECSS.requests(server, "call_consult")
            XCTAssertEqual(commands.count, 2)
            for command in commands {
                XCTAssertEqual(command.method, .POST)
                XCTAssertEqual(command.uri, "/\(testDomain)/service/cc/arm/call_consult")
                XCTAssertEqual(command.headers.first(name: "Content-Type"), "application/xml; charset=utf-8")
                XCTAssertEqual(command.cookie, "ECSS_SESSION=\(sessionCookieValue)")
                XCTAssertEqual(try CallConsultCodec().decodeRequest(command.body), sampleRequest)
            }
        }
    }

    func testAnErrorReplyIsReturnedWhateverItsStatus() async throws {
        for status in [HTTPResponseStatus.forbidden, .ok] {
            let handler = FakeECSS.handler { _ in .respond(status, FakeECSS.xml, FakeECSS.refused) }
            try await TestServer.withServer(handler: handler) { server in
                let answer = try await FakeECSS.client(server).send(sampleRequest)
                XCTAssertEqual(answer.status, Int(status.code))
                XCTAssertEqual(
                    answer.response,
                    .error(ErrorReply(reason: "cannot_perform_cmd", command: "call_consult", body: "operator busy")))
                XCTAssertEqual(FakeECSS.requests(server, "call_consult").count, 1, "an <out> answer is never resent")
                XCTAssertEqual(FakeECSS.requests(server, "login").count, 1)
            }
        }
    }

    func testAPlainText403IsALostSession_OneNewLoginAndOneResend() async throws {
        for status in [HTTPResponseStatus.forbidden, .unauthorized] {
            let handler = FakeECSS.handler(
                firstCommand: .respond(status, [("Content-Type", "text/plain")], Array("session expired".utf8)),
                then: .respond(.ok, FakeECSS.xml, FakeECSS.ok))
            try await TestServer.withServer(handler: handler) { server in
                let response = try await FakeECSS.client(server).callConsult(sampleRequest)
                XCTAssertEqual(response, .ok)
                XCTAssertEqual(FakeECSS.requests(server, "login").count, 2)
                XCTAssertEqual(FakeECSS.requests(server, "call_consult").count, 2)
            }
        }
    }

    func testASessionRefusedAgainAfterANewLoginFailsWithoutAThirdTry() async throws {
        let handler = FakeECSS.handler { _ in .respond(.forbidden, [("Content-Type", "text/plain")], Array("no session".utf8)) }
        try await TestServer.withServer(handler: handler) { server in
            let error = await assertClientError { try await FakeECSS.client(server).callConsult(sampleRequest) }
            XCTAssertEqual(error?.kind, .unexpectedStatus)
            XCTAssertEqual(error?.status, 403)
            XCTAssertEqual(error?.bodyExcerpt, "no session")
            XCTAssertEqual(error?.mayHaveBeenDelivered, false)
            XCTAssertEqual(FakeECSS.requests(server, "login").count, 2)
            XCTAssertEqual(FakeECSS.requests(server, "call_consult").count, 2)
        }
    }

    func testSixtyFourConcurrentCallsShareOneLogin() async throws {
        let handler: TestServer.Handler = { request in
            if request.uri.hasSuffix("/login") {
                try? await Task.sleep(for: .milliseconds(100))  // keep the login in flight while the others arrive
                return .respond(.ok, FakeECSS.xml + [("Set-Cookie", "ECSS_SESSION=\(sessionCookieValue)")], FakeECSS.ok)
            }
            return .respond(.ok, FakeECSS.xml, FakeECSS.ok)
        }
        try await TestServer.withServer(handler: handler) { server in
            let client = try FakeECSS.client(server, timeout: .seconds(30))
            try await withThrowingTaskGroup(of: CommandResponse.self) { group in
                for index in 0..<64 {
                    group.addTask {
                        try await client.callConsult(CallConsultRequest(conversationID: "c\(index)", toNumber: "1001"))
                    }
                }
                for try await response in group { XCTAssertEqual(response, .ok) }
            }
            XCTAssertEqual(FakeECSS.requests(server, "login").count, 1)
            XCTAssertEqual(FakeECSS.requests(server, "call_consult").count, 64)
        }
    }

    func testSixtyFourConcurrentCallsWithWrongCredentialsCostOneLogin() async throws {
        let handler: TestServer.Handler = { _ in
            try? await Task.sleep(for: .milliseconds(100))
            return .respond(.forbidden, [("Content-Type", "text/plain")], Array("Invalid credentials".utf8))
        }
        try await TestServer.withServer(handler: handler) { server in
            let client = try FakeECSS.client(server, timeout: .seconds(30))
            await withTaskGroup(of: ECSSClientError.Kind?.self) { group in
                for _ in 0..<64 {
                    group.addTask { await assertClientError { try await client.callConsult(sampleRequest) }?.kind }
                }
                for await kind in group { XCTAssertEqual(kind, .authentication) }
            }
            XCTAssertEqual(FakeECSS.requests(server, "login").count, 1)
            XCTAssertEqual(FakeECSS.requests(server, "call_consult").count, 0)
        }
    }

    func testASessionThatExpiresMidBatchCostsOneLoginAndNoCommandTwice() async throws {
        // The server's session lasts 3 commands: the 4th is refused (403, text) and not carried out.
        let state = NIOLockedValueBox((session: 0, used: 0, carriedOut: [String]()))
        let handler: TestServer.Handler = { request in
            if request.uri.hasSuffix("/login") {
                let session = state.withLockedValue {
                    $0.session += 1
                    $0.used = 0
                    return $0.session
                }
                return .respond(.ok, FakeECSS.xml + [("Set-Cookie", "ECSS_SESSION=s\(session)")], FakeECSS.ok)
            }
            return state.withLockedValue { state in
                guard request.cookie == "ECSS_SESSION=s\(state.session)", state.used < 3 else {
                    return .respond(.forbidden, [("Content-Type", "text/plain")], Array("session expired".utf8))
                }
                state.used += 1
                state.carriedOut.append((try? CallConsultCodec().decodeRequest(request.body))?.conversationID ?? "?")
                return .respond(.ok, FakeECSS.xml, FakeECSS.ok)
            }
        }
        try await TestServer.withServer(handler: handler) { server in
            let client = try FakeECSS.client(server)
            for index in 0..<5 {
                let response = try await client.callConsult(CallConsultRequest(conversationID: "c\(index)", toNumber: "1001"))
                XCTAssertEqual(response, .ok)
            }
            XCTAssertEqual(FakeECSS.requests(server, "login").count, 2)
            XCTAssertEqual(state.withLockedValue { $0.carriedOut }, ["c0", "c1", "c2", "c3", "c4"])
            XCTAssertEqual(FakeECSS.requests(server, "call_consult").count, 6, "c3 sent twice: refused, then carried out")
        }
    }

    func testLoginOnDemandReplacesTheSession() async throws {
        try await TestServer.withServer(handler: FakeECSS.handler { _ in .respond(.ok, FakeECSS.xml, FakeECSS.ok) }) { server in
            let client = try FakeECSS.client(server)
            try await client.login()
            XCTAssertEqual(FakeECSS.requests(server, "login").count, 1)
            _ = try await client.callConsult(sampleRequest)
            XCTAssertEqual(FakeECSS.requests(server, "login").count, 1)
            try await client.login()
            XCTAssertEqual(FakeECSS.requests(server, "login").count, 2)
        }
    }

    func testA403ThatMayBeAnOutDocumentIsNeverResent() async throws {
        let huge =
            Array("<out><error reason=\"cannot_perform_cmd\"/>".utf8) + [UInt8](repeating: 0x20, count: 8192)
            + Array("</out>".utf8)
        let bodies: [([UInt8], DocumentError.Kind)] = [
            (Array(#"<out><error reason="cannot_perform_cmd">timeout</error></out>"#.utf8), .notValid),
            (Array(#"<out><error reason="cannot_perform_cmd"><detail/></error></out>"#.utf8), .notValid),
            (Array(#"<?xml version="1.0"?><!DOCTYPE out><out><response><ok/></response></out>"#.utf8), .refusedByPolicy),
            (huge, .tooLarge),
        ]
        for (body, kind) in bodies {
            for status in [HTTPResponseStatus.forbidden, .unauthorized] {
                let handler = FakeECSS.handler { _ in .respond(status, FakeECSS.xml, body) }
                try await TestServer.withServer(handler: handler) { server in
                    let client = try FakeECSS.client(server, limits: DecodingLimits(maxBodyBytes: 4096))
                    let error = await assertClientError { try await client.callConsult(sampleRequest) }
                    XCTAssertEqual(error?.kind, .invalidResponse, "\(kind) \(status)")
                    XCTAssertEqual((error?.cause as? DocumentError)?.kind, kind)
                    XCTAssertEqual(error?.status, Int(status.code))
                    XCTAssertEqual(error?.mayHaveBeenDelivered, true)
                    XCTAssertEqual(FakeECSS.requests(server, "call_consult").count, 1, "never resent: \(kind)")
                    XCTAssertEqual(FakeECSS.requests(server, "login").count, 1)
                }
            }
        }
    }

    func testA403ThatIsCertainlyNotAnOutDocumentIsALostSession() async throws {
        let bodies = [
            "", "Session is not valid", "<html><body>Forbidden</body></html>",
            "<!DOCTYPE html><html><body>Forbidden</body></html>", "<error>no session</error>",
        ]
        for body in bodies {
            let handler = FakeECSS.handler(
                firstCommand: .respond(.forbidden, [("Content-Type", "text/html")], Array(body.utf8)),
                then: .respond(.ok, FakeECSS.xml, FakeECSS.ok))
            try await TestServer.withServer(handler: handler) { server in
                let response = try await FakeECSS.client(server).callConsult(sampleRequest)
                XCTAssertEqual(response, .ok, body)
                XCTAssertEqual(FakeECSS.requests(server, "call_consult").count, 2, body)
                XCTAssertEqual(FakeECSS.requests(server, "login").count, 2, body)
            }
        }
    }
}
