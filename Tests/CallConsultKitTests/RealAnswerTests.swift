import CallConsultKit
import XCTest

/// `<out>` answers as a real ECSS-10 sends them: the vendor's XSI attributes on the root, `body`
/// and unknown attributes on `<error>`, other encodings, and `<ok>` with content.
final class RealAnswerTests: XCTestCase {
    private static let xsi =
        #"xmlns:xs="http://www.w3.org/2001/XMLSchema-instance" xs:noNamespaceSchemaLocation="call_consult.xsd""#

    func testErrorAnswersAsAServerSendsThem() {
        let cases: [(String, [UInt8], ErrorReply)] = [
            (
                "the issue's realistic answer",
                Body.utf8(#"<out \#(Self.xsi)><error cmd="call_consult" reason="cannot_perform_cmd" body="timeout"/></out>"#),
                ErrorReply(reason: "cannot_perform_cmd", command: "call_consult", body: "timeout")
            ),
            (
                "an attribute the reconstruction does not know",
                Body.utf8(#"<out><error reason="cannot_perform_cmd" code="17" cmd="call_consult"/></out>"#),
                ErrorReply(reason: "cannot_perform_cmd", command: "call_consult")
            ),
            (
                "a namespaced attribute on error",
                Body.utf8(#"<out \#(Self.xsi)><error xs:type="errorType" reason="r" body=""/></out>"#),
                ErrorReply(reason: "r", body: "")
            ),
            (
                "windows-1251 with Cyrillic",
                Body.windows1251(
                    "<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<out \(Self.xsi)>\n  <error reason=\"cannot_perform_cmd\" cmd=\"call_consult\" body=\"Оператор занят\"/>\n</out>\n"
                ),
                ErrorReply(reason: "cannot_perform_cmd", command: "call_consult", body: "Оператор занят")
            ),
            (
                "UTF-16 with a byte order mark",
                Body.utf16LE(#"<out><error reason="нет связи" body="timeout"/></out>"#),
                ErrorReply(reason: "нет связи", body: "timeout")
            ),
        ]
        for (label, body, expected) in cases {
            switch decodeResponse(body) {
            case .success(let response): XCTAssertEqual(response, .error(expected), label)
            case .failure(let error): XCTFail("\(label): \(error)")
            }
        }
    }

    func testOkIsAnyTypeSoAttributesTextAndChildrenAreAccepted() {
        let shapes = [
            #"<ok status="done"/>"#,
            "<ok>done</ok>",
            #"<ok><detail id="1">x</detail><detail/></ok>"#,
            "<ok>text <b>and</b> elements</ok>",
        ]
        for shape in shapes {
            let xml = "<out \(Self.xsi)><response>\(shape)</response></out>"
            switch decodeResponse(Body.utf8(xml)) {
            case .success(let response): XCTAssertEqual(response, .ok, shape)
            case .failure(let error): XCTFail("\(shape): \(error)")
            }
        }
    }

    func testErrorWithoutReasonIsStillRefused() {
        assertRefused(
            decodeResponse(Body.utf8(#"<out><error cmd="call_consult" body="timeout"/></out>"#)), .notValid,
            mentioning: "reason", "error without reason")
    }

    func testBodyIsEncodedDecodedAndInCodable() throws {
        let reply = ErrorReply(reason: "cannot_perform_cmd", command: "call_consult", body: "a \"quoted\" <timeout>\n")
        let xml = try codec.encode(CommandResponse.error(reply))
        XCTAssertEqual(
            String(decoding: xml, as: UTF8.self),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<out><error reason=\"cannot_perform_cmd\" cmd=\"call_consult\" body=\"a &quot;quoted&quot; &lt;timeout&gt;&#10;\"/></out>\n"
        )
        XCTAssertEqual(try codec.decodeResponse(xml), .error(reply))

        let json = try JSONEncoder().encode(ErrorReply(reason: "r", command: "c", body: "b"))
        XCTAssertEqual(
            try JSONSerialization.jsonObject(with: json) as? [String: String], ["reason": "r", "cmd": "c", "body": "b"])
        let decoded = try JSONDecoder().decode(ErrorReply.self, from: Data(#"{"reason": "r", "body": "timeout"}"#.utf8))
        XCTAssertEqual(decoded, ErrorReply(reason: "r", body: "timeout"))

        let tree = try codec.decodeElement(xml, as: .response)
        XCTAssertTrue(tree.jsonForm().contains(#""body": "a \"quoted\" <timeout>\n""#), tree.jsonForm())
    }

    func testIssueMessagesAreOneLine() throws {
        // libxml2 up to 2.14 words this one on two lines: "…indicate encoding !" and
        // "Bytes: 0xF0 …"; 2.15 says "Invalid bytes in character encoding", on one. Where it is
        // reported does not change.
        let body: [UInt8] =
            Array("<in><request><call_consult conversation_id=\"".utf8) + [0xF0, 0x28, 0x8C, 0x28]
            + Array("\" to_number=\"1\"/></request></in>".utf8)
        guard case .failure(let error) = decodeRequest(body) else { return XCTFail("invalid UTF-8 was accepted") }
        XCTAssertEqual(error.kind, .notWellFormed)
        let first = try XCTUnwrap(error.issues.first)
        XCTAssertTrue(
            first.message.hasPrefix("Input is not proper UTF-8, indicate encoding ! Bytes: 0xF0")
                || first.message == "Invalid bytes in character encoding", first.message)
        XCTAssertEqual([first.line, first.column], [1, 45])
        XCTAssertEqual(first.element, "request")
        for issue in error.issues {
            XCTAssertFalse(issue.message.contains("\n") || issue.message.contains("\r"), issue.message)
            XCTAssertFalse(issue.message.contains("  "), issue.message)
        }
        XCTAssertEqual(error.description.split(separator: "\n").count, error.issues.count + 1)
    }
}
