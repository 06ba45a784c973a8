import CLibXML2
import CallConsultKit
import Foundation
import XCTest

/// Where a not-well-formed document's first issue is, and which element it names, do not depend on
/// the libxml2 line the package runs on (2.9.14 to 2.15). libxml2 2.15 marks the parser stopped
/// before it reports a fatal error, which made an engine that looked at that mark lose the element
/// (issue 12); the expectations below are what 2.9.14 reports.
final class SyntaxIssuePlaceTests: XCTestCase {
    private static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testNotWellFormedExampleNamesTheElementAndPlace() throws {
        let body = try Array(Data(contentsOf: Self.packageRoot.appendingPathComponent("Examples/not-well-formed-request.xml")))
        guard case .failure(let error) = decodeRequest(body) else { return XCTFail("decoded") }
        XCTAssertEqual(error.kind, .notWellFormed)
        XCTAssertEqual(
            error.issues,
            [
                DocumentError.Issue(
                    line: 5, column: 13, element: "call_consult",
                    message: "Opening and ending tag mismatch: call_consult line 4 and request", domain: .syntax,
                    code: Int(XML_ERR_TAG_NAME_MISMATCH.rawValue))
            ])
    }

    /// The first issue of documents broken in different ways: line, column and element.
    func testFirstSyntaxIssueIsPlacedAlikeOnEveryLibXML2() throws {
        let cases: [(label: String, xml: String, line: Int, column: Int, element: String?)] = [
            ("end tag mismatch", "<in>\n  <request>\n  </reqest>\n</in>", 3, 12, "request"),
            (
                "unclosed quote",
                "<in>\n  <request>\n    <call_consult conversation_id=\"c to_number=\"1\"/>\n  </request>\n</in>\n",
                3, 49, "request"
            ),
            (
                "duplicate attribute",
                "<in>\n  <request>\n    <call_consult conversation_id=\"c\" conversation_id=\"d\" to_number=\"1\"/>\n  </request>\n</in>\n",
                3, 72, "request"
            ),
            (
                "'<' in an attribute value",
                "<in>\n  <request>\n    <call_consult conversation_id=\"a<b\" to_number=\"1\"/>\n  </request>\n</in>\n", 3, 37,
                "request"
            ),
            (
                "undefined entity",
                "<in>\n  <request>\n    <call_consult conversation_id=\"&nope;\" to_number=\"1\"/>\n  </request>\n</in>\n", 3, 42,
                "request"
            ),
            (
                "content after the root",
                "<in>\n  <request>\n    <call_consult conversation_id=\"c\" to_number=\"1\"/>\n  </request>\n</in>\n<in/>\n", 6,
                1, nil
            ),
            (
                "undeclared prefix",
                "<in>\n  <request>\n    <x:call_consult conversation_id=\"c\" to_number=\"1\"/>\n  </request>\n</in>\n", 3, 54,
                "request"
            ),
            ("control character", "<in>\n  <request>\n    text \u{1} here\n  </request>\n</in>\n", 3, 10, "request"),
            (
                "truncated end tag",
                "<in>\n  <request>\n    <call_consult conversation_id=\"c\" to_number=\"1\"/>\n  </request>\n</in", 5, 5, "in"
            ),
            (
                "inner end tag mismatch",
                "<in>\n  <request>\n    <call_consult conversation_id=\"c\" to_number=\"1\"></call>\n  </request>\n</in>\n", 3,
                60,
                "call_consult"
            ),
            (
                "double hyphen in a comment",
                "<in>\n  <request>\n    <call_consult conversation_id=\"c\" to_number=\"1\"/>\n  <!-- a -- b -->\n  </request>\n</in>\n",
                4, 10, "request"
            ),
        ]
        for (label, xml, line, column, element) in cases {
            guard case .failure(let error) = decodeRequest(Array(xml.utf8)) else {
                XCTFail("\(label): decoded")
                continue
            }
            XCTAssertEqual(error.kind, .notWellFormed, label)
            let first = try XCTUnwrap(error.issues.first, label)
            XCTAssertEqual(first.domain, .syntax, label)
            XCTAssertEqual([first.line, first.column], [line, column], "\(label): \(first.message)")
            XCTAssertEqual(first.element, element, "\(label): \(first.message)")
        }
    }

    /// The headers the package was compiled with and the library it runs on are the same libxml2
    /// release line: a build against one libxml2's headers that loads another (same soname, other
    /// version) is caught here. Prints both, so a CI log says which libxml2 the tests ran on.
    func testRunsOnTheLibXML2ItWasBuiltFor() throws {
        let running = try XCTUnwrap(Int(String(cString: ccx_running_version())))
        print("libxml2: built against \(LIBXML_VERSION), running \(running)")
        XCTAssertEqual(running / 100, Int(LIBXML_VERSION) / 100)
    }
}
