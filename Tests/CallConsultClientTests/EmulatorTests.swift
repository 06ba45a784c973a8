import CallConsultClient
import CallConsultEmulator
import CallConsultKit
import Logging
import XCTest

/// The client against the ECSS-10 emulator, in-process on a free loopback port.
final class EmulatorTests: XCTestCase {
    private func configuration(sessionCommands: Int? = nil) -> ECSSEmulator.Configuration {
        var configuration = ECSSEmulator.Configuration(credentials: testCredentials)
        configuration.domain = testDomain
        configuration.sessionCommands = sessionCommands
        return configuration
    }

    private static let quiet = Logger(label: "emulator", factory: { _ in SwiftLogNoOpLogHandler() })

    private func client(_ running: ECSSEmulator.Running, credentials: LoginRequest = testCredentials) throws -> ECSSClient {
        try ECSSClient(configuration: .init(baseURL: running.baseURL, domain: testDomain, credentials: credentials))
    }

    func testOk() async throws {
        try await ECSSEmulator.withRunning(configuration: configuration(), logger: Self.quiet) { running in
            let answer = try await client(running).send(sampleRequest)
            XCTAssertEqual(answer, ECSSClient.Answer(status: 200, response: .ok))
            XCTAssertEqual(running.exchanges.map(\.command), [.login, .callConsult])
            XCTAssertEqual(running.exchanges.last?.outcome, .answered(sampleRequest, .ok))
        }
    }

    func testRefusedWithReasonCmdAndBody() async throws {
        let reply = ErrorReply(reason: "cannot_perform_cmd", command: "call_consult", body: "timeout")
        let decide: ECSSEmulator.Decision = { _, _ in .error(reply) }
        try await ECSSEmulator.withRunning(configuration: configuration(), logger: Self.quiet, decide: decide) { running in
            let answer = try await client(running).send(sampleRequest)
            XCTAssertEqual(answer, ECSSClient.Answer(status: 403, response: .error(reply)))
            XCTAssertEqual(running.exchanges.filter { $0.command == .callConsult }.count, 1, "an error reply is never resent")
        }
    }

    func testWrongCredentials() async throws {
        try await ECSSEmulator.withRunning(configuration: configuration(), logger: Self.quiet) { running in
            let wrong = LoginRequest(clientID: "crm", apiKey: "WRONG-KEY-1234", phoneNumber: "1001")
            let error = await assertClientError { try await client(running, credentials: wrong).callConsult(sampleRequest) }
            XCTAssertEqual(error?.kind, .authentication)
            XCTAssertEqual(error?.status, 403)
            XCTAssertEqual(error?.bodyExcerpt, "Invalid credentials")
            XCTAssertFalse("\(String(describing: error))".contains("WRONG-KEY-1234"))
            XCTAssertEqual(running.exchanges.map(\.command), [.login])
        }
    }

    func testASessionThatExpiresMidBatchCostsOneNewLoginAndNoCommandTwice() async throws {
        try await ECSSEmulator.withRunning(configuration: configuration(sessionCommands: 3), logger: Self.quiet) { running in
            let client = try client(running)
            let requests = (0..<5).map { CallConsultRequest(conversationID: "c\($0)", toNumber: "1001") }
            for request in requests {
                let response = try await client.callConsult(request)
                XCTAssertEqual(response, .ok)
            }
            let exchanges = running.exchanges
            XCTAssertEqual(exchanges.filter { $0.command == .named(.login) }.count, 2, "\(exchanges)")
            let carriedOut = exchanges.compactMap { exchange -> String? in
                if case .answered(.callConsult(let request), _) = exchange.outcome { return request.conversationID }
                return nil
            }
            XCTAssertEqual(carriedOut, requests.map(\.conversationID), "each command carried out once, in order")
            let refused = exchanges.filter { exchange in
                if case .refused(let refusal) = exchange.outcome { return refusal == .sessionExpired || refusal == .noSession }
                return false
            }
            XCTAssertEqual(refused.count, 1, "\(exchanges)")
        }
    }

    func testSixtyFourConcurrentCallsOnOneClientShareOneLogin() async throws {
        try await ECSSEmulator.withRunning(configuration: configuration(), logger: Self.quiet) { running in
            let client = try ECSSClient(
                configuration: .init(
                    baseURL: running.baseURL, domain: testDomain, credentials: testCredentials, timeout: .seconds(30)))
            try await withThrowingTaskGroup(of: CommandResponse.self) { group in
                for index in 0..<64 {
                    group.addTask {
                        try await client.callConsult(CallConsultRequest(conversationID: "c\(index)", toNumber: "1001"))
                    }
                }
                for try await response in group { XCTAssertEqual(response, .ok) }
            }
            XCTAssertEqual(running.exchanges.filter { $0.command == .named(.login) }.count, 1)
            XCTAssertEqual(running.exchanges.filter { $0.command == .callConsult }.count, 64)
        }
    }

    func testAllSessionsEndedServerSideCostsOneNewLogin() async throws {
        try await ECSSEmulator.withRunning(configuration: configuration(), logger: Self.quiet) { running in
            let client = try client(running)
            _ = try await client.callConsult(sampleRequest)
            running.emulator.endAllSessions()
            let response = try await client.callConsult(sampleRequest)
            XCTAssertEqual(response, .ok)
            XCTAssertEqual(running.exchanges.filter { $0.command == .named(.login) }.count, 2)
        }
    }

    func testSixtyFourCallersThatLoseTheSessionTogetherCauseOneNewLogin() async throws {
        try await ECSSEmulator.withRunning(configuration: configuration(), logger: Self.quiet) { running in
            let client = try ECSSClient(
                configuration: .init(
                    baseURL: running.baseURL, domain: testDomain, credentials: testCredentials, timeout: .seconds(30)))
            _ = try await client.callConsult(sampleRequest)
            running.emulator.endAllSessions()
            try await withThrowingTaskGroup(of: CommandResponse.self) { group in
                for index in 0..<64 {
                    group.addTask {
                        try await client.callConsult(CallConsultRequest(conversationID: "c\(index)", toNumber: "1001"))
                    }
                }
                for try await response in group { XCTAssertEqual(response, .ok) }
            }
            let logins = running.exchanges.filter { $0.command == .named(.login) }.count
            XCTAssertEqual(logins, 2, "one login, then one after the sessions ended")
            let carriedOut = running.exchanges.filter { exchange in
                if case .answered = exchange.outcome { return true }
                return false
            }
            XCTAssertEqual(carriedOut.count, 65, "each command carried out once")
        }
    }
}
