import XCTest

@testable import CallConsultKit

/// What an engine keeps between documents (the issue text cache, the issue arrays it hands out
/// again) never changes an error: every decode gives the error a new engine gives.
final class IssueReuseTests: XCTestCase {
    private static func request(_ attributes: String) -> [UInt8] {
        Body.utf8("<in><request><call_consult \(attributes)/></request></in>")
    }

    /// Documents whose issues repeat, extend, shorten or differ from one another's.
    private static let bodies: [[UInt8]] = [
        // mode refused, then to_number missing.
        request(#"conversation_id="c1" operator_id="42" mode="x""#),
        // Only the first of those: a prefix of the issues above.
        request(#"conversation_id="c1" to_number="1" mode="x""#),
        // Only the second: differs from the first issue on.
        request(#"conversation_id="c1""#),
        // Ten refused attributes: more issues than an engine keeps.
        request((0..<10).map { #"a\#($0)="x""# }.joined(separator: " ") + #" conversation_id="c" to_number="1""#),
        // Names and messages longer than the cache keeps.
        request(String(repeating: "n", count: 300) + #"="x" conversation_id="c" to_number="1""#),
        Body.utf8("<in><request><" + String(repeating: "e", count: 300) + "/></request></in>"),
        // Syntax issues, one of them on two lines in libxml2's words (`… Bytes: 0xFF …`).
        Body.utf8("<in><request><call_consult"),
        [UInt8]("<in><request>".utf8) + [0xFF, 0xFE] + [UInt8]("</request></in>".utf8),
        // Policy refusals.
        Body.utf8("<out/>"),
        Body.utf8(#"<!DOCTYPE in [<!ENTITY a "b">]><in/>"#),
        // Valid.
        request(#"conversation_id="c1" to_number="1""#),
    ]

    /// The error a new engine, which has kept nothing yet, gives for `body`.
    private func freshError(_ body: [UInt8]) throws -> DocumentError? {
        let engine = try XCTUnwrap(ParseEngine())
        var capture = CallConsultRequestCapture()
        return body.withUnsafeBytes {
            engine.parse($0, schema: .callConsult, root: .request, limits: .default, into: &capture)
        }
    }

    private func decodedError(_ body: [UInt8]) -> DocumentError? {
        if case .failure(let error) = decodeRequest(body) { return error }
        return nil
    }

    func testEveryOrderOfDocumentsGivesTheErrorsOfAFreshEngine() throws {
        let expected = try Self.bodies.map(freshError)
        XCTAssertNil(expected.last ?? nil)
        XCTAssertEqual(expected[0]?.issues.count, 2)
        XCTAssertEqual(expected[1]?.issues.first, expected[0]?.issues.first)
        XCTAssertEqual(expected[1]?.issues.count, 1)
        XCTAssertEqual(expected[2]?.issues.first, expected[0]?.issues.last)
        XCTAssertEqual(expected[3]?.issues.count, 10)
        XCTAssertTrue(expected[7]?.issues.contains { $0.message.contains("Bytes:") } ?? false)
        // Each document alone, repeated; then every pair of documents, one after the other.
        var order: [Int] = []
        for index in Self.bodies.indices { order += [index, index, index] }
        for first in Self.bodies.indices {
            for second in Self.bodies.indices { order += [first, second, first] }
        }
        for index in order {
            XCTAssertEqual(decodedError(Self.bodies[index]), expected[index], "document \(index)")
        }
    }

    /// Nine distinct messages in turn: more than the cache holds, so each one replaces another.
    func testMoreDistinctMessagesThanTheCacheHolds() throws {
        let bodies = (0..<(IssueTextCache.capacity + 1)).map { Self.request(#"conversation_id="c" mode\#($0)="x""#) }
        let expected = try bodies.map(freshError)
        for _ in 0..<3 {
            for (body, error) in zip(bodies, expected) { XCTAssertEqual(decodedError(body), error) }
        }
    }

    /// An error handed out again is a value of its own: changing it changes nothing the engine
    /// hands out next.
    func testAnErrorHandedOutAgainIsAValueOfItsOwn() throws {
        let body = Self.bodies[0]
        let expected = try XCTUnwrap(freshError(body))
        var first = try XCTUnwrap(decodedError(body))
        first.issues[0].message = "changed"
        first.issues.removeLast()
        XCTAssertEqual(decodedError(body), expected)
        XCTAssertEqual(decodedError(body), expected)
    }

    /// `IssueList` writes every stored property of an issue itself: one added to
    /// `DocumentError.Issue` must be added there too.
    func testIssueListWritesEveryStoredPropertyOfAnIssue() {
        let issue = DocumentError.Issue(line: 1, column: 2, element: "e", message: "m", domain: .schema, code: 3)
        XCTAssertEqual(
            Mirror(reflecting: issue).children.compactMap(\.label), ["line", "column", "element", "message", "domain", "code"])
        var list = IssueList()
        defer { list.deallocate() }
        list.append(line: 1, column: 2, element: "e", message: "m", domain: .schema, code: 3)
        list.append(line: 4, column: 5, element: nil, message: "n", domain: .syntax, code: 6)
        XCTAssertEqual(
            list.take(keeping: true),
            [issue, DocumentError.Issue(line: 4, column: 5, element: nil, message: "n", domain: .syntax, code: 6)])
        XCTAssertTrue(list.isEmpty)
    }
}
