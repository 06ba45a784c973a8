import CallConsultKit
import Foundation
import TestSupport
import XCTest

/// Every schema issue points at the start tag of the element its message names, on the line
/// xmllint reports for it: compared with xmllint itself on multi-line documents of every kind the
/// schemas refuse.
final class IssuePositionTests: XCTestCase {
    /// A document, the schema xmllint validates it with, and how the library decodes it.
    private struct Case: Sendable {
        enum Message: Sendable { case request, response, loginRequest, loginResponse }
        var label: String
        var xml: String
        var schema = "call_consult.xsd"
        var decode = Message.request

        func decode(_ body: [UInt8]) throws(DocumentError) {
            switch decode {
            case .request: _ = try codec.decodeRequest(body)
            case .response: _ = try codec.decodeResponse(body)
            case .loginRequest: _ = try codec.decodeLoginRequest(body)
            case .loginResponse: _ = try codec.decodeLoginResponse(body)
            }
        }
    }

    private static let cases: [Case] = [
        Case(
            label: "missing attribute", xml: "<in>\n  <request>\n    <call_consult conversation_id=\"c\"/>\n  </request>\n</in>\n"
        ),
        Case(
            label: "unknown and missing attributes, multi-line tag",
            xml: "<in>\n <request>\n  <call_consult\n     conversation_id=\"c\"\n     mode=\"consult\"/>\n </request>\n</in>\n"),
        Case(
            label: "element inside an empty type",
            xml:
                "<in>\n  <request>\n    <call_consult conversation_id=\"1\" to_number=\"2\">\n      <mode>consult</mode>\n    </call_consult>\n  </request>\n</in>\n"
        ),
        Case(
            label: "text in an empty type, multi-line tag",
            xml:
                "<in>\n  <request>\n    <call_consult\n       conversation_id=\"1\"\n       to_number=\"2\">text</call_consult>\n  </request>\n</in>\n"
        ),
        Case(
            label: "text after the command",
            xml: "<in>\n  <request>\n    <call_consult conversation_id=\"1\" to_number=\"2\"/>\n    text\n  </request>\n</in>\n"),
        Case(
            label: "two requests",
            xml:
                "<in>\n  <request>\n    <call_consult conversation_id=\"1\" to_number=\"2\"/>\n  </request>\n  <request/>\n</in>\n"
        ),
        Case(label: "empty request", xml: "<in>\n  <request>\n  </request>\n</in>\n"),
        Case(label: "empty in", xml: "<in>\n\n</in>\n"),
        Case(label: "another command", xml: "<in>\n  <request>\n    <call_hold conversation_id=\"1\"/>\n  </request>\n</in>\n"),
        Case(
            label: "namespaced command",
            xml:
                "<in>\n  <request>\n    <x:call_consult xmlns:x=\"urn:x\" conversation_id=\"1\" to_number=\"2\"/>\n  </request>\n</in>\n"
        ),
        Case(
            label: "attribute on request",
            xml: "<in>\n  <request id=\"7\">\n    <call_consult conversation_id=\"1\" to_number=\"2\"/>\n  </request>\n</in>\n"),
        Case(
            label: "a command inside a command",
            xml:
                "<in>\n <request>\n  <call_consult conversation_id=\"1\" to_number=\"2\">\n   <call_consult conversation_id=\"3\" to_number=\"4\"/>\n  </call_consult>\n </request>\n</in>\n"
        ),
        Case(
            label: "the root's end tag in a later chunk",
            xml: "<in>\n<!--" + String(repeating: "padding ", count: 3_000) + "-->\n  <request>\n  </request>\n</in>\n"),
        Case(
            label: "error without reason", xml: "<out>\n  <error cmd=\"call_consult\"\n         body=\"timeout\"/>\n</out>\n",
            decode: .response),
        Case(
            label: "response without ok", xml: "<out>\n  <response>\n  </response>\n</out>\n",
            decode: .response),
        Case(
            label: "ok and error", xml: "<out>\n  <response><ok/></response>\n  <error reason=\"r\"/>\n</out>\n",
            decode: .response),
        Case(
            label: "empty out",
            xml:
                "<out xmlns:xs=\"http://www.w3.org/2001/XMLSchema-instance\"\n     xs:noNamespaceSchemaLocation=\"call_consult.xsd\">\n</out>\n",
            decode: .response),
        Case(
            label: "login without api_key", xml: "<in>\n  <request client_id=\"c\"\n           phone_number=\"1\"/>\n</in>\n",
            schema: "login.xsd",
            decode: .loginRequest),
        Case(
            label: "login answer with an error", xml: "<out>\n  <error reason=\"r\"/>\n</out>\n", schema: "login.xsd",
            decode: .loginResponse),
    ]

    func testSchemaIssuesAgreeWithXmllint() throws {
        let xmllint = try Xmllint.url()
        for testCase in Self.cases {
            let body = Array(testCase.xml.utf8)
            let ours: DocumentError
            do {
                try testCase.decode(body)
                XCTFail("\(testCase.label): decoded")
                continue
            } catch {
                ours = error
            }
            XCTAssertEqual(ours.kind, .notValid, "\(testCase.label): \(ours)")
            let theirs = try Xmllint.run(xmllint, on: testCase.xml, schema: testCase.schema).issues
            XCTAssertEqual(
                ours.issues.map { "\($0.line): \($0.element ?? "-"): \($0.message)" },
                theirs, testCase.label)
            for issue in ours.issues {
                XCTAssertGreaterThan(issue.column, 0, "\(testCase.label): \(issue)")
            }
        }
    }

    func testColumnIsTheTagsOpeningBracketOrItsClosingOneWhenTheTagSpansLines() throws {
        let oneLine = "<in>\n  <request>\n    <call_consult conversation_id=\"c\"/>\n  </request>\n</in>"
        guard case .failure(let error) = decodeRequest(Body.utf8(oneLine)) else { return XCTFail("decoded") }
        XCTAssertEqual(error.issues.map { [$0.line, $0.column] }, [[3, 5]])

        let spanning = "<in>\n  <request>\n    <call_consult\n       conversation_id=\"c\"  />\n  </request>\n</in>"
        guard case .failure(let spread) = decodeRequest(Body.utf8(spanning)) else { return XCTFail("decoded") }
        XCTAssertEqual(spread.issues.map { [$0.line, $0.column] }, [[4, 29]], "the '/' of '/>' on line 4")

        // An element whose start tag came in an earlier chunk of the parse keeps its position.
        let padded = "<in>\n<!--" + String(repeating: "x", count: 40_000) + "-->\n</in>"
        guard case .failure(let late) = decodeRequest(Body.utf8(padded)) else { return XCTFail("decoded") }
        XCTAssertEqual(late.issues.map { [$0.line, $0.column] }, [[1, 1]])
        XCTAssertEqual(late.issues.first?.element, "in")
    }
}
