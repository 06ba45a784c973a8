import CallConsultClient
import CallConsultKit
import XCTest

/// A timeout's message names what was under way: the login, or the command.
final class CommandTimeoutTests: XCTestCase {
    /// Every command the client sends.
    private static let names = FamilyCase.all.map(\.name) + [.monitor]

    /// Sends the command `name` with its typed method.
    private static func call(_ name: CommandName, _ client: ECSSClient) async throws {
        if let family = FamilyCase.all.first(where: { $0.name == name }) {
            _ = try await family.typed(client, nil)
        } else {
            _ = try await client.monitor(FamilyCase.monitorRequest)
        }
    }

    func testALoginThatStallsNamesTheLoginAndTheCommandNotSent() async throws {
        for name in Self.names {
            try await TestServer.withServer(handler: TestServer.always(.stall)) { server in
                let client = try FakeECSS.client(server, timeout: .milliseconds(200))
                let error = await assertClientError { try await Self.call(name, client) }
                XCTAssertEqual(error?.kind, .timeout, "\(name)")
                XCTAssertEqual(error?.mayHaveBeenDelivered, false, "\(name)")
                let message = error?.message ?? ""
                XCTAssertTrue(message.contains("login"), message)
                // The call's own deadline says which command was not sent; AsyncHTTPClient's,
                // when it fires first, names the login exchange.
                XCTAssertTrue(
                    message == "the login did not finish within the timeout; \(name) was not sent"
                        || message.hasPrefix("login: no answer within the timeout"), message)
                XCTAssertEqual(FakeECSS.requests(server, name.rawValue).count, 0, "\(name)")
            }
        }
    }

    func testACommandThatStallsNamesTheCommand() async throws {
        for name in Self.names {
            try await TestServer.withServer(handler: FakeECSS.handler { _ in .stall }) { server in
                let client = try FakeECSS.client(server, timeout: .milliseconds(300))
                try await client.login()
                let error = await assertClientError { try await Self.call(name, client) }
                XCTAssertEqual(error?.kind, .timeout, "\(name)")
                XCTAssertEqual(error?.mayHaveBeenDelivered, true, "\(name)")
                let message = error?.message ?? ""
                XCTAssertFalse(message.contains("login"), message)
                XCTAssertTrue(
                    message == "no answer to \(name) within the timeout"
                        || message.hasPrefix("\(name): no answer within the timeout"), message)
            }
        }
    }

    func testAnExplicitLoginThatStallsNamesTheLoginOnly() async throws {
        try await TestServer.withServer(handler: TestServer.always(.stall)) { server in
            let client = try FakeECSS.client(server, timeout: .milliseconds(200))
            let error = await assertClientError { try await client.login() }
            XCTAssertEqual(error?.kind, .timeout)
            XCTAssertEqual(error?.mayHaveBeenDelivered, false)
            let message = error?.message ?? ""
            XCTAssertTrue(
                message == "no answer to login within the timeout" || message.hasPrefix("login: no answer within the timeout"),
                message)
            XCTAssertFalse(message.contains("call_consult"), message)
        }
    }
}
