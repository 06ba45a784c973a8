import AsyncHTTPClient
import CallConsultEmulator
import CallConsultKit
import NIOHTTP1
import XCTest

final class RoutingTests: XCTestCase {
    func testOtherPathsAre404AndOtherMethods405() async throws {
        let cases: [(label: String, method: HTTPMethod, path: String, status: Int, refusal: ECSSEmulator.Refusal)] = [
            ("GET login", .GET, "/d/service/cc/arm/login", 405, .methodNotAllowed(method: "GET")),
            ("PUT call_consult", .PUT, "/d/service/cc/arm/call_consult", 405, .methodNotAllowed(method: "PUT")),
            ("DELETE call_consult", .DELETE, "/d/service/cc/arm/call_consult", 405, .methodNotAllowed(method: "DELETE")),
            ("the root", .GET, "/", 404, .unknownPath),
            ("a command this package does not ship", .POST, "/d/service/cc/arm/call_pickup", 404, .unknownPath),
            ("no command", .POST, "/d/service/cc/arm", 404, .unknownPath),
            ("a trailing slash", .POST, "/d/service/cc/arm/login/", 404, .unknownPath),
            ("no domain", .POST, "//service/cc/arm/login", 404, .unknownDomain),
            ("an encoded domain", .POST, "/a%3Bb/service/cc/arm/login", 404, .unknownDomain),
        ]
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            let http = EmulatorHTTP(running: running)
            for (label, method, path, status, refusal) in cases {
                let answer = try await http.send(path: path, body: method == .POST ? "<in/>" : nil, method: method)
                XCTAssertEqual(answer.status, status, label)
                XCTAssertEqual(answer.contentType, "text/plain; charset=utf-8", label)
                XCTAssertEqual(answer.allow, status == 405 ? "POST" : nil, label)
                XCTAssertEqual(running.exchanges.last?.outcome, .refused(refusal), label)
                XCTAssertEqual(running.exchanges.last?.status, status, label)
            }
        }
    }

    func testEveryExchangeIsRecordedInOrderWithoutTheAPIKey() async throws {
        let start = Date()
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            let http = EmulatorHTTP(running: running)
            _ = try await http.send("call_consult", body: Fixtures.consult())
            let cookie = try await http.login()
            _ = try await http.send("call_consult", body: Fixtures.consult("c-7", toNumber: "2002"), cookie: cookie)
            _ = try await http.send(path: "/favicon.ico", body: nil, method: .GET)
            let exchanges = running.exchanges
            XCTAssertEqual(
                exchanges.map(\.command),
                [.named(.callConsult), .named(.login), .named(.callConsult), .other(path: "/favicon.ico")])
            XCTAssertEqual(exchanges.map(\.domain), ["example.domain", "example.domain", "example.domain", ""])
            XCTAssertEqual(exchanges.map(\.status), [403, 200, 200, 404])
            XCTAssertEqual(
                exchanges.map(\.outcome),
                [
                    .refused(.noSession), .loggedIn(Fixtures.credentials),
                    .answered(.callConsult(CallConsultRequest(conversationID: "c-7", toNumber: "2002")), .ok),
                    .refused(.unknownPath),
                ])
            XCTAssertTrue(exchanges.allSatisfy { $0.time >= start && $0.time <= Date() })
            XCTAssertEqual(exchanges.map(\.time), exchanges.map(\.time).sorted())
            var dumped = ""
            dump(exchanges, to: &dumped)
            let texts = [dumped, "\(exchanges)", String(describing: exchanges), String(reflecting: exchanges)]
            for text in texts {
                XCTAssertFalse(text.contains(Fixtures.credentials.apiKey), text)
                XCTAssertFalse(text.contains(cookie.dropFirst(ECSSEmulator.sessionCookieName.count + 1)), text)
            }
        }
    }

    func testTheRecordKeepsTheLatestExchangesOnly() async throws {
        var configuration = Fixtures.configuration()
        configuration.maxRecordedExchanges = 3
        try await ECSSEmulator.withRunning(configuration: configuration) { running in
            let http = EmulatorHTTP(running: running)
            for index in 0..<5 {
                _ = try await http.send(path: "/\(index)", body: nil, method: .GET)
            }
            XCTAssertEqual(running.exchanges.map(\.command), [.other(path: "/2"), .other(path: "/3"), .other(path: "/4")])
        }
    }

    func testOnExchangeSeesEachExchangeOnce() async throws {
        let seen = SeenExchanges()
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration(), onExchange: seen.add) { running in
            let http = EmulatorHTTP(running: running)
            _ = try await http.login()
            _ = try await http.send(path: "/", body: nil, method: .GET)
            XCTAssertEqual(seen.all, running.exchanges)
        }
    }
}

/// Exchanges handed to `onExchange`, from any task.
private final class SeenExchanges: @unchecked Sendable {
    private let lock = NSLock()
    private var exchanges: [ECSSEmulator.Exchange] = []

    @Sendable func add(_ exchange: ECSSEmulator.Exchange) {
        lock.withLock { exchanges.append(exchange) }
    }

    var all: [ECSSEmulator.Exchange] { lock.withLock { exchanges } }
}
