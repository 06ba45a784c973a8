import CallConsultKit
import XCTest

/// Encoders produce exactly the documented bytes, valid against the bundled schema, and values
/// survive the round trip through any XML processor — this library's own decoder among them.
final class EncodingTests: XCTestCase {
    /// Values that exercise every escaping rule.
    static let hostileValues = [
        "plain", "", " ", "  leading and trailing  ", "&", "&amp;", "<", ">", "\"", "'", "<![CDATA[x]]>",
        "]]>", "<!-- c -->", "&#38;", "a\tb", "a\nb", "a\r\nb", "\r", "\u{7F}", "\u{80}\u{85}\u{9F}",
        "\u{A0}", "\u{2028}\u{2029}", "\u{FEFF}", "\u{FFFD}", "😀", "разговор", "中文", "e\u{301}",
        String(repeating: "&<>\"", count: 100), "x=\"1\" y=\"2\"", "/>", "</in>",
    ]

    func testOkBodyIsExact() throws {
        let body = try codec.encode(CommandResponse.ok)
        XCTAssertEqual(
            String(decoding: body, as: UTF8.self),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<out><response><ok/></response></out>\n")
        XCTAssertEqual(CommandResponse.ok.httpStatus, 200)
        XCTAssertEqual(CommandResponse.contentType, "application/xml; charset=utf-8")
    }

    func testErrorBodyIsExact() throws {
        let reply = ErrorReply(reason: ErrorReply.cannotPerformCommand, command: "call_consult")
        let body = try codec.encode(CommandResponse.error(reply))
        XCTAssertEqual(
            String(decoding: body, as: UTF8.self),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<out><error reason=\"cannot_perform_cmd\" cmd=\"call_consult\"/></out>\n"
        )
        XCTAssertEqual(CommandResponse.error(reply).httpStatus, 403)
        let withoutCommand = try codec.encode(CommandResponse.error(ErrorReply(reason: "cannot_perform_cmd")))
        XCTAssertEqual(
            String(decoding: withoutCommand, as: UTF8.self),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<out><error reason=\"cannot_perform_cmd\"/></out>\n")
    }

    func testRequestBodyIsExact() throws {
        let body = try codec.encode(CallConsultRequest(conversationID: "0647e098a4b48b05", toNumber: "1001", operatorID: "42"))
        XCTAssertEqual(
            String(decoding: body, as: UTF8.self),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<in><request><call_consult conversation_id=\"0647e098a4b48b05\" to_number=\"1001\" operator_id=\"42\"/></request></in>\n"
        )
        let noOperator = try codec.encode(CallConsultRequest(conversationID: "c", toNumber: "1"))
        XCTAssertFalse(String(decoding: noOperator, as: UTF8.self).contains("operator_id"))
    }

    func testEscapingRules() throws {
        let body = try codec.encode(CommandResponse.error(ErrorReply(reason: "a&b<c>d\"e'f\tg\nh\ri\u{7F}j\u{85}k")))
        let text = String(decoding: body, as: UTF8.self)
        XCTAssertTrue(text.contains(#"reason="a&amp;b&lt;c&gt;d&quot;e'f&#9;g&#10;h&#13;i&#127;j&#133;k""#), text)
    }

    func testRequestsRoundTripWithHostileValuesInEveryField() throws {
        for value in Self.hostileValues {
            for request in [
                CallConsultRequest(conversationID: value, toNumber: "1", operatorID: nil),
                CallConsultRequest(conversationID: "c", toNumber: value, operatorID: nil),
                CallConsultRequest(conversationID: "c", toNumber: "1", operatorID: value),
                CallConsultRequest(conversationID: value, toNumber: value, operatorID: value),
            ] {
                let body = try codec.encode(request)
                XCTAssertEqual(try codec.decodeRequest(body), request, "value \(value.debugDescription)")
                // FoundationXML builds strings with CFString, which drops a leading U+FEFF.
                guard !value.hasPrefix("\u{FEFF}") else { continue }
                XCTAssertEqual(
                    try XMLProcessorOracle.attributes(of: "call_consult", in: body),
                    Self.expectedAttributes(request), "FoundationXML reads \(value.debugDescription) back differently")
            }
        }
    }

    func testResponsesRoundTripWithHostileValues() throws {
        XCTAssertEqual(try codec.decodeResponse(codec.encode(CommandResponse.ok)), .ok)
        for value in Self.hostileValues {
            for reply in [
                ErrorReply(reason: value), ErrorReply(reason: value, command: value), ErrorReply(reason: "r", command: value),
            ] {
                let body = try codec.encode(CommandResponse.error(reply))
                XCTAssertEqual(try codec.decodeResponse(body), .error(reply), "value \(value.debugDescription)")
            }
        }
    }

    func testEncoderOutputsAreSchemaValidOutDocuments() throws {
        // decodeResponse validates against <out> of the bundled schema and demands the root <out>.
        let responses: [CommandResponse] = [.ok] + Self.hostileValues.map { .error(ErrorReply(reason: $0, command: $0)) }
        for response in responses {
            XCTAssertNoThrow(try codec.decodeResponse(codec.encode(response)), "\(response)")
        }
        // and requests are valid <in> documents, which the response decoder refuses by root only.
        let request = try codec.encode(CallConsultRequest(conversationID: "c", toNumber: "1"))
        assertRefused(decodeResponse(request), .wrongRoot, "a request is not a response")
    }

    func testCharactersXMLCannotCarryAreRefused() {
        let cases: [(String, Unicode.Scalar, Int)] = [
            ("a\u{0}b", "\u{0}", 1), ("\u{1}", "\u{1}", 0), ("ok\u{8}", "\u{8}", 2), ("\u{B}", "\u{B}", 0),
            ("\u{C}", "\u{C}", 0), ("x\u{1F}", "\u{1F}", 1), ("😀\u{FFFE}", "\u{FFFE}", 1), ("\u{FFFF}", "\u{FFFF}", 0),
        ]
        for (value, character, offset) in cases {
            do {
                _ = try codec.encode(CallConsultRequest(conversationID: "c", toNumber: value))
                XCTFail("encoded \(value.debugDescription)")
            } catch {
                XCTAssertEqual(error, EncodingError(attribute: "to_number", character: character, offset: offset))
                XCTAssertTrue(error.description.contains("to_number"), error.description)
            }
            XCTAssertThrowsError(try codec.encode(CommandResponse.error(ErrorReply(reason: value)))) { error in
                XCTAssertEqual((error as? EncodingError)?.attribute, "reason")
            }
        }
    }

    func testResponseDecoding() {
        let cases: [(String, String, CommandResponse)] = [
            ("ok", "<out><response><ok/></response></out>", .ok),
            ("ok with white space", "<?xml version=\"1.0\"?>\n<out>\n  <response>\n    <ok/>\n  </response>\n</out>\n", .ok),
            ("error", #"<out><error reason="cannot_perform_cmd"/></out>"#, .error(ErrorReply(reason: "cannot_perform_cmd"))),
            (
                "error with cmd", #"<out><error cmd="call_consult" reason="cannot_perform_cmd"/></out>"#,
                .error(ErrorReply(reason: "cannot_perform_cmd", command: "call_consult"))
            ),
            // `ok` is declared without a type, so it is xs:anyType: any content is valid.
            ("ok with content", "<out><response><ok a=\"1\">text<x/></ok></response></out>", .ok),
            (
                "vendor's xsi attributes",
                #"<out xmlns:xs="http://www.w3.org/2001/XMLSchema-instance" xs:noNamespaceSchemaLocation="call_consult.xsd"><response><ok/></response></out>"#,
                .ok
            ),
        ]
        for (label, xml, expected) in cases {
            switch decodeResponse(Body.utf8(xml)) {
            case .success(let response): XCTAssertEqual(response, expected, label)
            case .failure(let error): XCTFail("\(label): \(error)")
            }
        }
        let invalid: [(String, String, DocumentError.Kind)] = [
            ("error without reason", "<out><error/></out>", .notValid),
            ("both ok and error", #"<out><response><ok/></response><error reason="r"/></out>"#, .notValid),
            ("empty out", "<out/>", .notValid),
            ("empty response", "<out><response/></response></out>", .notWellFormed),
            ("response without ok", "<out><response></response></out>", .notValid),
            ("a request", #"<in><request><call_consult conversation_id="c" to_number="1"/></request></in>"#, .wrongRoot),
            ("truncated", "<out><response><ok/>", .notWellFormed),
        ]
        for (label, xml, kind) in invalid {
            assertRefused(decodeResponse(Body.utf8(xml)), kind, label)
        }
    }

    private static func expectedAttributes(_ request: CallConsultRequest) -> [String: String] {
        var attributes = ["conversation_id": request.conversationID, "to_number": request.toNumber]
        attributes["operator_id"] = request.operatorID
        return attributes
    }
}
