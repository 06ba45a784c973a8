import CallConsultClient
import CallConsultKit
import NIOHTTP1
import XCTest

/// Every command of the family through the client: the path and body sent, ok and error
/// replies whatever their status, the one resend after a lost session, and none after that.
final class CommandFamilyTests: XCTestCase {
    func testEveryCommandGoesToItsPathWithItsBodyAndTheSessionCookie() async throws {
        let codec = CallConsultCodec()
        for family in FamilyCase.all {
            let name = family.name
            let handler = FakeECSS.handler { _ in FakeECSS.answer(.ok, to: name) }
            try await TestServer.withServer(handler: handler) { server in
                let client = try FakeECSS.client(server)
                let typed = try await family.typed(client, nil)
                XCTAssertEqual(typed, .ok, "\(name)")
                let generic = try await client.send(family.request.model)
                XCTAssertEqual(generic, ECSSClient.Answer(status: 200, response: .ok), "\(name)")
                let chosenAtRunTime = try await client.send(family.request)
                XCTAssertEqual(chosenAtRunTime, ECSSClient.Answer(status: 200, response: .ok), "\(name)")

                XCTAssertEqual(FakeECSS.requests(server, "login").count, 1, "\(name)")
                let sent = server.requests.filter { !$0.uri.hasSuffix("/login") }
                XCTAssertEqual(sent.count, 3, "\(name)")
                for request in sent {
                    XCTAssertEqual(request.method, .POST, "\(name)")
                    XCTAssertEqual(request.uri, "/\(testDomain)/service/cc/arm/\(name)")
                    XCTAssertEqual(request.headers.first(name: "Content-Type"), "application/xml; charset=utf-8", "\(name)")
                    XCTAssertEqual(request.cookie, "ECSS_SESSION=\(sessionCookieValue)", "\(name)")
                    XCTAssertEqual(try codec.decodeRequest(request.body, command: name), family.request, "\(name)")
                }
            }
        }
    }

    func testAnErrorReplyIsAnErrorWhateverItsStatus() async throws {
        for family in FamilyCase.all {
            let name = family.name
            // 403 for most commands; 200 is what block_operator, unblock_operator, auxwork and
            // add_participant answer with (CommandName.errorStatus), and must never read as ok.
            for status in [HTTPResponseStatus.forbidden, .ok] {
                let reply = FakeECSS.errorReply(to: name)
                let handler = FakeECSS.handler { _ in FakeECSS.answer(.error(reply), to: name, status: status) }
                try await TestServer.withServer(handler: handler) { server in
                    let client = try FakeECSS.client(server)
                    let typed = try await family.typed(client, nil)
                    XCTAssertEqual(typed, .error(reply), "\(name) \(status)")
                    let answer = try await client.send(family.request)
                    XCTAssertEqual(answer, ECSSClient.Answer(status: Int(status.code), response: .error(reply)))
                    XCTAssertEqual(FakeECSS.requests(server, name.rawValue).count, 2, "an <out> answer is never resent")
                    XCTAssertEqual(FakeECSS.requests(server, "login").count, 1, "\(name) \(status)")
                }
            }
        }
    }

    func testAnErrorReplyWithTheCommandsOwnErrorStatus() async throws {
        for family in FamilyCase.all {
            let name = family.name
            let status = HTTPResponseStatus(statusCode: name.errorStatus)
            let handler = FakeECSS.handler { _ in FakeECSS.answer(.error(FakeECSS.errorReply(to: name)), to: name, status: status)
            }
            try await TestServer.withServer(handler: handler) { server in
                let response = try await family.typed(try FakeECSS.client(server), nil)
                XCTAssertEqual(response, .error(FakeECSS.errorReply(to: name)), "\(name)")
            }
        }
    }

    func testALostSessionCostsOneNewLoginAndOneResendOfTheSameBody() async throws {
        for family in FamilyCase.all {
            let name = family.name
            let handler = FakeECSS.handler(firstCommand: FakeECSS.sessionLost, then: FakeECSS.answer(.ok, to: name))
            try await TestServer.withServer(handler: handler) { server in
                let response = try await family.typed(try FakeECSS.client(server), nil)
                XCTAssertEqual(response, .ok, "\(name)")
                XCTAssertEqual(FakeECSS.requests(server, "login").count, 2, "\(name)")
                let sent = FakeECSS.requests(server, name.rawValue)
                XCTAssertEqual(sent.count, 2, "\(name)")
                XCTAssertEqual(sent.first?.body, sent.last?.body, "\(name)")
            }
        }
    }

    func testASessionRefusedAgainAfterANewLoginFailsNamingTheCommand() async throws {
        for family in FamilyCase.all {
            let name = family.name
            try await TestServer.withServer(handler: FakeECSS.handler { _ in FakeECSS.sessionLost }) { server in
                let error = await assertClientError { try await family.typed(try FakeECSS.client(server), nil) }
                XCTAssertEqual(error?.kind, .unexpectedStatus, "\(name)")
                XCTAssertEqual(error?.status, 403, "\(name)")
                XCTAssertEqual(error?.mayHaveBeenDelivered, false, "\(name)")
                XCTAssertEqual(
                    error?.message, "\(name) was refused with status 403 and no <out> answer right after a new login")
                XCTAssertEqual(FakeECSS.requests(server, "login").count, 2, "\(name)")
                XCTAssertEqual(FakeECSS.requests(server, name.rawValue).count, 2, "\(name)")
            }
        }
    }

    func testOtherFailuresNameTheCommandAndAreNeverResent() async throws {
        let html = Array("<html><body>502 Bad Gateway</body></html>".utf8)
        for family in FamilyCase.all {
            let name = family.name
            let cases: [(TestServer.Action, ECSSClientError.Kind)] = [
                (.respond(.badGateway, [("Content-Type", "text/html")], html), .unexpectedStatus),
                (.respond(.ok, FakeECSS.xml, Array("<out><response/></out>".utf8)), .invalidResponse),
                (.reset, .transport),
            ]
            for (action, kind) in cases {
                try await TestServer.withServer(handler: FakeECSS.handler { _ in action }) { server in
                    let error = await assertClientError { try await family.typed(try FakeECSS.client(server), nil) }
                    XCTAssertEqual(error?.kind, kind, "\(name)")
                    XCTAssertEqual(error?.mayHaveBeenDelivered, true, "\(name) \(kind)")
                    XCTAssertTrue(error?.message.contains(name.rawValue) ?? false, "\(String(describing: error))")
                    XCTAssertEqual(FakeECSS.requests(server, name.rawValue).count, 1, "\(name) \(kind)")
                }
            }
        }
    }

    func testLoginIsNotSentAsACommand() async throws {
        func sendGenerically<Command: ECSSCommand>(_ command: Command, with client: ECSSClient) async throws -> ECSSClient.Answer
        {
            try await client.send(command)
        }
        try await TestServer.withServer(handler: FakeECSS.handler { _ in FakeECSS.answer(.ok, to: .login) }) { server in
            let client = try FakeECSS.client(server)
            for error in [
                await assertClientError { try await client.send(ECSSRequest.login(testCredentials)) },
                await assertClientError { try await sendGenerically(testCredentials, with: client) },
            ] {
                XCTAssertEqual(error?.kind, .unsupportedCommand)
                XCTAssertEqual(error?.kind.code, "unsupported_command")
                XCTAssertEqual(error?.mayHaveBeenDelivered, false)
                XCTAssertTrue(error?.message.contains("login(logger:)") ?? false, "\(String(describing: error))")
            }
            XCTAssertTrue(server.requests.isEmpty, "\(server.requests.map(\.uri))")
        }
    }
}
