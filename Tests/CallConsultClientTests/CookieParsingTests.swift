import XCTest

@testable import CallConsultClient

/// `Set-Cookie` parsing, cookie dates, the jar's matching rules and excerpts, without sockets.
final class CookieParsingTests: XCTestCase {
    func testSetCookieAttributes() throws {
        let cookie = try XCTUnwrap(
            SetCookie(header: #" id = "a=b" ; path=/x ; DOMAIN=.Example.COM; max-age=60; expires=junk; secure; HttpOnly"#))
        XCTAssertEqual(cookie.name, "id")
        XCTAssertEqual(cookie.value, #""a=b""#)
        XCTAssertEqual(cookie.path, "/x")
        XCTAssertEqual(cookie.domain, "example.com")
        XCTAssertEqual(cookie.maxAge, 60)
        XCTAssertNil(cookie.expires)
        XCTAssertTrue(cookie.secure)
        XCTAssertNil(SetCookie(header: "no-equals-sign"))
        XCTAssertNil(SetCookie(header: "=value"))
        XCTAssertNil(try XCTUnwrap(SetCookie(header: "a=1; Path=relative")).path)
        XCTAssertNil(try XCTUnwrap(SetCookie(header: "a=1; Max-Age=1e3")).maxAge)
        XCTAssertEqual(try XCTUnwrap(SetCookie(header: "a=1; Max-Age=-5")).maxAge, -5)
        XCTAssertEqual(try XCTUnwrap(SetCookie(header: "a=1; Max-Age=99999999999999999999")).maxAge, Int64.max)
    }

    func testCookieDatesInEveryFormServersSend() {
        let expected: Int64 = 784_111_777  // Sun, 06 Nov 1994 08:49:37 GMT
        for text in ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            XCTAssertEqual(CookieDate.parse(text), expected, text)
        }
        XCTAssertEqual(CookieDate.parse("Thu, 01 Jan 1970 00:00:00 GMT"), 0)
        XCTAssertEqual(CookieDate.parse("Tue, 29 Feb 2028 23:59:59 GMT"), 1_835_481_599)
        for text in ["", "tomorrow", "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 32 Nov 1994 08:49:37 GMT", "06 Nov 1500 08:49:37"] {
            XCTAssertNil(CookieDate.parse(text), text)
        }
    }

    func testDomainAndPathMatching() {
        XCTAssertTrue(CookieJar.domainMatches(host: "a.example.com", domain: "example.com"))
        XCTAssertTrue(CookieJar.domainMatches(host: "example.com", domain: "example.com"))
        XCTAssertFalse(CookieJar.domainMatches(host: "badexample.com", domain: "example.com"))
        XCTAssertFalse(CookieJar.domainMatches(host: "10.0.0.1", domain: "0.0.1"))
        XCTAssertTrue(CookieJar.pathMatches("/d/service", "/d"))
        XCTAssertTrue(CookieJar.pathMatches("/d/service", "/d/"))
        XCTAssertFalse(CookieJar.pathMatches("/dx/service", "/d"))
        XCTAssertEqual(CookieJar.defaultPath(of: "/d/service/cc/arm/login"), "/d/service/cc/arm")
        XCTAssertEqual(CookieJar.defaultPath(of: "/login"), "/")
    }

    func testTheJarReplacesExpiresAndScopesCookies() {
        var jar = CookieJar()
        let refused = jar.store(
            setCookieHeaders: ["s=1; Max-Age=10", "f=2; Domain=other.example", "h=3"], host: "ECSS.example",
            requestPath: "/d/service/cc/arm/login", now: 1000)
        XCTAssertEqual(refused, ["f"])
        XCTAssertEqual(
            jar.header(host: "ecss.example", path: "/d/service/cc/arm/call_consult", secure: false, now: 1005), "s=1; h=3")
        XCTAssertEqual(jar.header(host: "ecss.example", path: "/d/service/cc/arm/call_consult", secure: false, now: 1010), "h=3")
        XCTAssertNil(jar.header(host: "sub.ecss.example", path: "/d/service/cc/arm/x", secure: false, now: 1005))
        jar.store(setCookieHeaders: ["h=4"], host: "ecss.example", requestPath: "/d/service/cc/arm/login", now: 1000)
        jar.store(setCookieHeaders: ["s=0; Max-Age=0"], host: "ecss.example", requestPath: "/d/service/cc/arm/login", now: 1000)
        XCTAssertEqual(jar.header(host: "ecss.example", path: "/d/service/cc/arm/call_consult", secure: true, now: 1001), "h=4")
    }

    func testExcerptsAreOneTrimmedLineWithoutSecrets() {
        XCTAssertEqual(
            Excerpt.make(Array("  \n line\tone\r\nkey SECRET-1 \u{1}end \n".utf8), hiding: ["SECRET-1"]),
            #"line\tone\r\nkey *** \u{1}end"#)
        let long = Excerpt.make([UInt8](repeating: 0x61, count: 1000), limit: 10, hiding: [])
        XCTAssertEqual(long, "aaaaaaaaaa…")
        XCTAssertEqual(Excerpt.make([0xFF, 0x41], hiding: []), "\u{FFFD}A")
        XCTAssertEqual(Excerpt.hide(["abc", ""], in: "xabcx"), "x***x", "a secret of any length is hidden")
    }

    func testASecretAfterLeadingWhiteSpaceOrAtTheCutIsNeverShown() {
        let key = "API-KEY-0f9e8d7c"
        for padding in [10, 790, 860, 1000, 5000] {
            let body = Array((String(repeating: " ", count: padding) + key + " and more").utf8)
            let excerpt = Excerpt.make(body, hiding: [key])
            XCTAssertEqual(excerpt, "*** and more", "padding \(padding)")
        }
        // A secret across the excerpt's limit is hidden before the cut.
        XCTAssertEqual(Excerpt.make(Array(("0123456789" + key).utf8), limit: 12, hiding: [key]), "0123456789**…")
        // Unicode white space (trimmed after the window is taken) can push a secret across the
        // window's end: the part inside is hidden at the cut.
        for count in 285...295 {
            let body = Array((String(repeating: "\u{3000}", count: count) + key + " and more").utf8)
            let excerpt = Excerpt.make(body, hiding: [key])
            XCTAssertFalse(excerpt.contains("API"), "\(count): \(excerpt)")
            if count == 290 { XCTAssertEqual(excerpt, "***…", "the window ends 10 bytes into the key") }
        }
        // Short secrets are hidden wherever they occur.
        XCTAssertEqual(Excerpt.make(Array("key=k9 k9".utf8), hiding: ["k9"]), "key=*** ***")
        XCTAssertEqual(Excerpt.make(Array("abcdef".utf8), limit: 3, hiding: ["cz"]), "ab***…")
        XCTAssertEqual(Excerpt.make(Array("abcdef".utf8), limit: 3, hiding: ["zz"]), "abc…")
    }

    func testAHugeMaxAgeKeepsTheCookie() {
        var jar = CookieJar()
        jar.store(
            setCookieHeaders: ["s=1; Max-Age=99999999999999999999", "t=2; Max-Age=9223372036854775000"],
            host: "ecss.example", requestPath: "/d/service/cc/arm/login", now: 1_800_000_000)
        XCTAssertEqual(
            jar.header(host: "ecss.example", path: "/d/service/cc/arm/call_consult", secure: false, now: 1_800_000_001),
            "s=1; t=2")
    }
}
