import CallConsultEmulator
import CallConsultKit
import CallConsultProxy
import Foundation
import XCTest

/// What crosses the proxy: every byte both ways, header fields but the hop-by-hop ones, cookies.
final class ProxyForwardingTests: XCTestCase {
    func testRequestReachesTheUpstreamUnchangedAndItsAnswerComesBackUnchanged() async throws {
        let upstream = try await TestUpstream(.echo)
        let upstreamPort = upstream.port
        let configuration = ECSSProxy.Configuration(
            upstream: try XCTUnwrap(URL(string: "http://127.0.0.1:\(upstream.port)")), port: 0)
        let body = "<in>\u{00E9} \r\n bytes \u{0001}?</in>"
        let answer = try await ECSSProxy.withRunning(configuration: configuration) { _, port in
            try await ProxyTest.send(
                "http://127.0.0.1:\(port)/some.domain/service/cc/arm/anything?a=1&b=%20x", method: .PUT, body: body,
                headers: [
                    ("Cookie", "ECSS_SESSION=abc; other=1"), ("X-Trace", "t-1"), ("Connection", "keep-alive, X-Hop"),
                    ("X-Hop", "dropped"), ("Proxy-Authorization", "Basic Zm9v"),
                ])
        }
        await upstream.close()
        XCTAssertEqual(answer.status, 202)
        let echoed = answer.text
        let head = echoed.components(separatedBy: "\n\n")[0].split(separator: "\n").map(String.init)
        XCTAssertEqual(head.first, "PUT /some.domain/service/cc/arm/anything?a=1&b=%20x")
        XCTAssertTrue(head.contains("Cookie: ECSS_SESSION=abc; other=1"), "\(head)")
        XCTAssertTrue(head.contains("X-Trace: t-1"), "\(head)")
        XCTAssertTrue(
            head.contains { $0.lowercased() == "host: 127.0.0.1:\(upstreamPort)" }, "\(head)")
        for dropped in ["x-hop", "proxy-authorization"] {
            XCTAssertFalse(head.contains { $0.lowercased().hasPrefix(dropped + ":") }, "\(dropped) forwarded: \(head)")
        }
        XCTAssertTrue(echoed.hasSuffix("\n\n" + body), echoed)
        XCTAssertEqual(Array(echoed.utf8.suffix(body.utf8.count)), Array(body.utf8))
        XCTAssertEqual(
            answer.fieldsButDate.filter { $0 != "content-length: \(answer.body.count)" },
            ["content-type: application/octet-stream", "set-cookie: A=1; Path=/", "set-cookie: B=2; HttpOnly", "x-custom: kept"])
    }

    func testAnswersThroughTheProxyAreTheEmulatorsByteForByte() async throws {
        try await ProxyTest.withProxy { running, proxy, exchanges in
            let login = try await ProxyTest.send(ProxyTest.url(proxy, "login"), body: ProxyTest.login)
            XCTAssertEqual(login.status, 200)
            let cookie = try XCTUnwrap(login.cookie)
            XCTAssertTrue(cookie.hasPrefix("ECSS_SESSION="))
            for (command, body) in [
                ("call_hold", ProxyTest.hold), ("call_hold", "<in><request><call_hold/></request></in>"),
                ("block_operator", #"<in><request agent_id="7"/></in>"#), ("nope", "x"),
            ] {
                let through = try await ProxyTest.send(ProxyTest.url(proxy, command), body: body, headers: [("Cookie", cookie)])
                let direct = try await ProxyTest.send(
                    running.url(of: command, domain: ProxyTest.domain), body: body, headers: [("Cookie", cookie)])
                XCTAssertEqual(through.status, direct.status, command)
                XCTAssertEqual(through.body, direct.body, command)
                XCTAssertEqual(through.fieldsButDate, direct.fieldsButDate, command)
            }
            let seen = exchanges()
            XCTAssertEqual(seen.map(\.status), [200, 200, 400, 200, 404])
            XCTAssertEqual(seen.map(\.requestValid), [true, true, false, true, nil])
            XCTAssertEqual(seen.map(\.responseValid), [true, true, nil, true, nil])
            XCTAssertEqual(seen.map { $0.command?.rawValue }, ["login", "call_hold", "call_hold", "block_operator", nil])
            XCTAssertEqual(seen.map(\.domain), Array(repeating: ProxyTest.domain, count: 5))
            XCTAssertTrue(seen.allSatisfy { $0.failure == nil })
        }
    }

    func testALostSessionsPlainText403IsNoViolationAndReLoginThroughTheProxyWorks() async throws {
        var configuration = ECSSEmulator.Configuration(credentials: ProxyTest.credentials)
        configuration.sessionCommands = 1
        try await ProxyTest.withProxy(emulator: configuration) { _, proxy, exchanges in
            let login = try await ProxyTest.send(ProxyTest.url(proxy, "login"), body: ProxyTest.login)
            var cookie = try XCTUnwrap(login.cookie)
            let first = try await ProxyTest.send(
                ProxyTest.url(proxy, "call_hold"), body: ProxyTest.hold, headers: [("Cookie", cookie)])
            XCTAssertEqual(first.status, 200)
            let lost = try await ProxyTest.send(
                ProxyTest.url(proxy, "call_hold"), body: ProxyTest.hold, headers: [("Cookie", cookie)])
            XCTAssertEqual(lost.status, 403)
            XCTAssertEqual(lost.text, "Session is not valid")
            let relogin = try await ProxyTest.send(ProxyTest.url(proxy, "login"), body: ProxyTest.login)
            cookie = try XCTUnwrap(relogin.cookie)
            let again = try await ProxyTest.send(
                ProxyTest.url(proxy, "call_hold"), body: ProxyTest.hold, headers: [("Cookie", cookie)])
            XCTAssertEqual(again.status, 200)
            let refused = try await ProxyTest.send(
                ProxyTest.url(proxy, "login"), body: ProxyTest.login.replacingOccurrences(of: "s3cret-KEY-9", with: "wrong"))
            XCTAssertEqual(refused.status, 403)
            let seen = exchanges()
            XCTAssertEqual(seen.map(\.status), [200, 200, 403, 200, 200, 403])
            XCTAssertEqual(seen[2].responseValid, nil)
            XCTAssertEqual(seen[2].requestValid, true)
            XCTAssertEqual(seen[2].issues, [])
            XCTAssertEqual(seen[5].responseValid, nil)
            XCTAssertEqual(seen[5].issues, [])
            XCTAssertTrue(seen.allSatisfy { $0.failure == nil })
        }
    }
}
