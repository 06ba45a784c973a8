import CallConsultKit
import Hummingbird
import XCTest

@testable import CallConsultEmulator

/// `Route(request)` reads the raw request target byte by byte; these tests hold it to what the
/// emulator did before, when it split Hummingbird's `request.uri.path` into `Character`s.
final class RouteTests: XCTestCase {
    static let targets: [String] = [
        "/example.domain/service/cc/arm/login", "/example.domain/service/cc/arm/call_consult",
        "/d/service/cc/arm/login?", "/d/service/cc/arm/call_consult?a=b", "/d/service/cc/arm/login?a=b?c=d",
        "/d/service/cc/arm/login#fragment", "/d/service/cc/arm/login/?x", "/d/service/cc/arm/call_hold",
        "/d/service/cc/arm", "/d/service/cc/arm/", "/d/service/cc/arm/login/", "//service/cc/arm/login",
        "/a%3Bb/service/cc/arm/login", "/a%2Fb/service/cc/arm/login", "/d/service/cc/arm/log%69n",
        "/d/service%2Fcc/arm/login", "/d//service/cc/arm/login", "/d/service//cc/arm/login", "/d/service/cc/arm//login",
        "/d/Service/cc/arm/login", "/d/service/cc/arm/LOGIN", "/d/service/cc/arm/login%3Fx", "/", "/?x", "//", "///",
        "/?", "/d?/service/cc/arm/login", "/favicon.ico", "/d/service/cc/arm/login;x", "/d/service/cc/arm/login ",
        "http://host:80/d/service/cc/arm/login", "http://host/d/service/cc/arm/call_consult?x=1", "http://host",
        "http://host?x", "https://h:1/", "*", "", "?x", "#", "d/service/cc/arm/login", "example.domain:80",
        "/é/service/cc/arm/login", "/\u{301}d/service/cc/arm/login", "/d/service/cc/arm/login\u{301}",
        "/d/servi\u{63}\u{327}e/cc/arm/login", "/d/service/cc/arm/\u{301}login", "/d\u{301}/service/cc/arm/call_consult",
        "/d/service/cc/arm/login/\u{301}", "/\u{212A}/service/cc/arm/login", "/d/service/cc/arm/call_consult\u{FE0F}",
        "/d/service/cc/arm/\u{1F600}", "/d/service/cc/arm/login?é", "/\u{301}/service/cc/arm/login",
        "/d/\u{301}service/cc/arm/login", "/\u{FFFD}/service/cc/arm/login",
    ]

    func testEveryTargetGivesTheRouteHummingbirdsPathGave() {
        for target in Self.targets {
            assertSameRoute(target)
        }
    }

    func testGeneratedTargetsGiveTheRouteHummingbirdsPathGave() {
        let pieces = [
            "/", "/", "/", "service", "cc", "arm", "login", "call_consult", "d", "example.domain", "?", "#", "%2F",
            "é", "\u{301}", ";", " ", "x", "//", "/service/cc/arm/", "http://h", ":80", "\u{FE0F}",
        ]
        var random = SplitMix64(seed: 11)
        for _ in 0..<20_000 {
            let count = Int(random.next() % 9)
            let target = (0..<count).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            assertSameRoute(target)
            assertSameRoute("/" + target)
            assertSameRoute("/d/service/cc/arm/" + target)
        }
    }

    func testAQueryIsNotPartOfTheRouteOverHTTP() async throws {
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            let http = EmulatorHTTP(running: running)
            let login = try await http.send(
                path: "/example.domain/service/cc/arm/login?next=/x", body: Fixtures.loginBody(Fixtures.credentials))
            XCTAssertEqual(login.status, 200, login.body)
            let cookie = try XCTUnwrap(login.sessionCookie)
            let consult = try await http.send(
                path: "/example.domain/service/cc/arm/call_consult?", body: Fixtures.consult(), cookie: cookie)
            XCTAssertEqual(consult.status, 200, consult.body)
            let other = try await http.send(path: "/example.domain/service/cc/arm/call_pickup?a=b", body: nil, method: .GET)
            XCTAssertEqual(other.status, 404)
            XCTAssertEqual(
                running.exchanges.map(\.command),
                [.named(.login), .named(.callConsult), .other(path: "/example.domain/service/cc/arm/call_pickup")])
            XCTAssertEqual(running.exchanges.map(\.domain), ["example.domain", "example.domain", "example.domain"])
        }
    }

    private func assertSameRoute(_ target: String, file: StaticString = #filePath, line: UInt = #line) {
        let request = Request(
            head: HTTPRequest(method: .post, scheme: nil, authority: nil, path: target), body: RequestBody(buffer: ByteBuffer()))
        let route = Route(request)
        let reference = ReferenceRoute(path: request.uri.path)
        XCTAssertEqual(route.domain, reference.domain, "domain of \(target.debugDescription)", file: file, line: line)
        XCTAssertEqual(route.command, reference.command, "command of \(target.debugDescription)", file: file, line: line)
    }
}

/// The emulator's route parsing before it read the raw target, kept as it was, for comparison:
/// `Route(path: request.uri.path)`.
private struct ReferenceRoute {
    var domain: String
    var command: ECSSEmulator.Command

    init(path: String) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count == 6, segments[0].isEmpty, segments[2] == "service", segments[3] == "cc", segments[4] == "arm"
        else {
            domain = ""
            command = .other(path: path)
            return
        }
        domain = String(segments[1])
        command = CommandName(rawValue: String(segments[5])).map { .named($0) } ?? .other(path: path)
    }
}

/// A small seeded generator, so that generated cases are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
