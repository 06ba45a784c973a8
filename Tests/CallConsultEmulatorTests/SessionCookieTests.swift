import CallConsultKit
import Foundation
import Hummingbird
import XCTest

@testable import CallConsultEmulator

/// `SessionCookie` reads `Cookie` fields byte by byte; these tests hold it to what the emulator did
/// before, with Foundation's `trimmingCharacters(in: .whitespaces)` on `Character`s (and the
/// `Content-Length` reading to `Int(request.headers[.contentLength])`).
final class SessionCookieTests: XCTestCase {
    static let values: [String] = [
        "ECSS_SESSION=abc", " ECSS_SESSION=abc ", "a=b; ECSS_SESSION=abc", "a=b;ECSS_SESSION=abc;c=d",
        "ECSS_SESSION=abc; ECSS_SESSION=def", "ECSS_SESSION=", "ECSS_SESSION", "ECSS_SESSION =abc", "ECSS_SESSION= abc",
        "\tECSS_SESSION=abc\t", "ECSS_SESSION=a=b", ";;", "", " ", ";", "=", "=abc", "ecss_session=abc",
        "ECSS_SESSION=abc def", "ECSS_SESSION=\"abc\"", "ECSS_SESSIONX=abc", "XECSS_SESSION=abc", "ECSS_SESSION=abc;",
        "; ECSS_SESSION=abc", " ; ;ECSS_SESSION=abc", "ECSS_SESSION=abc \t ;x", "x=1\r\n; ECSS_SESSION=abc",
        "\u{A0}ECSS_SESSION=abc", "ECSS_SESSION=abc\u{3000}", " \u{301}ECSS_SESSION=abc", "ECSS_SESSION\u{301}=abc",
        "ECSS_SESSION=\u{301}abc", ";\u{301}ECSS_SESSION=abc", "x=é; ECSS_SESSION=abc", "ECSS_SESSION=é",
        "\u{2003}ECSS_SESSION=abc\u{2003}", "ECSS_SESSION\u{2003}=abc", "ECSS_SESSION=abc\u{85}", "\u{1680}ECSS_SESSION=a",
        "ECSS_SESSION=\u{1F600}", "\u{FEFF}ECSS_SESSION=abc", "ECSS_SESSION=abc\u{200B}", "\u{202F};ECSS_SESSION=a",
    ]

    func testEveryValueGivesTheTokenFoundationGave() {
        for value in Self.values {
            XCTAssertEqual(SessionCookie.token(inCookie: value), referenceToken(in: [value]), value.debugDescription)
        }
    }

    func testGeneratedValuesGiveTheTokenFoundationGave() {
        let pieces = [
            "ECSS_SESSION", "ECSS_SESSION", "=", "=", ";", ";", " ", " ", "\t", "abc", "0f3a", "x=1", "\u{A0}", "\u{301}",
            "é", "\u{2003}", "\u{3000}", "\u{85}", "\"", ",",
        ]
        var random = SplitMix64(seed: 11)
        for _ in 0..<30_000 {
            let count = Int(random.next() % 8)
            let value = (0..<count).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            XCTAssertEqual(SessionCookie.token(inCookie: value), referenceToken(in: [value]), value.debugDescription)
        }
    }

    func testTheFirstSessionCookieOfAllCookieFieldsIsTaken() {
        let cases: [[String]] = [
            [], ["a=b"], ["a=b", "ECSS_SESSION=1"], ["ECSS_SESSION=1", "ECSS_SESSION=2"], ["x", " ECSS_SESSION=3 ; y=4"],
            ["\u{A0}ECSS_SESSION=5", "ECSS_SESSION=6"],
        ]
        for values in cases {
            var fields: HTTPFields = [.contentType: "application/xml", .accept: "ECSS_SESSION=no"]
            fields[values: .cookie] = values
            fields[.userAgent] = "ECSS_SESSION=no"
            XCTAssertEqual(SessionCookie.token(in: fields), referenceToken(in: fields[values: .cookie]), "\(values)")
            XCTAssertEqual(fields[values: .cookie].count, values.count)
        }
    }

    func testTheAnnouncedLengthIsWhatTheJoinedFieldsSaid() {
        let cases: [[String]] = [
            [], ["120"], ["0"], ["70000"], ["120", "120"], ["1", "2"], ["abc"], [""], ["", ""], ["-5"], ["+5"], [" 5"],
            ["99999999999999999999"], ["1, 2"],
        ]
        for values in cases {
            var fields: HTTPFields = [.contentType: "application/xml"]
            fields[values: .contentLength] = values
            XCTAssertEqual(
                EmulatorResponder.announcedLength(fields), fields[.contentLength].flatMap { Int($0) }, "\(values)")
        }
    }

    func testASessionCookieBetweenOthersAndBlanksIsFoundOverHTTP() async throws {
        try await ECSSEmulator.withRunning(configuration: Fixtures.configuration()) { running in
            let http = EmulatorHTTP(running: running)
            let cookie = try await http.login()
            for header in ["a=1;\(cookie)", " \t\(cookie) \t", "a=1 ; ; \(cookie);b", "\(cookie)x"] {
                let answer = try await http.send("call_consult", body: Fixtures.consult(), cookie: header)
                XCTAssertEqual(answer.status, header.hasSuffix("x") ? 403 : 200, header)
            }
        }
    }
}

/// The emulator's cookie parsing before it read bytes, kept as it was, for comparison.
private func referenceToken(in values: [String]) -> String? {
    for header in values {
        for pair in header.split(separator: ";") {
            let pair = pair.trimmingCharacters(in: .whitespaces)
            if let equals = pair.firstIndex(of: "="), pair[..<equals] == ECSSEmulator.sessionCookieName {
                return String(pair[pair.index(after: equals)...])
            }
        }
    }
    return nil
}
