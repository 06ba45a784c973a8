import CallConsultKit
import XCTest

/// Every shape of a valid request, and what it decodes to.
final class RequestDecodingTests: XCTestCase {
    private let full = CallConsultRequest(conversationID: "0647e098a4b48b05", toNumber: "1001", operatorID: "42")
    private let noOperator = CallConsultRequest(conversationID: "0647e098a4b48b05", toNumber: "1001")

    func testValidShapes() {
        let cases: [(String, [UInt8], CallConsultRequest)] = [
            (
                "all attributes", Body.utf8(requestXML(#"conversation_id="0647e098a4b48b05" to_number="1001" operator_id="42""#)),
                full
            ),
            ("operator_id omitted", Body.utf8(requestXML(#"conversation_id="0647e098a4b48b05" to_number="1001""#)), noOperator),
            (
                "attributes reordered",
                Body.utf8(requestXML(#"operator_id="42" to_number="1001" conversation_id="0647e098a4b48b05""#)), full
            ),
            (
                "single quotes", Body.utf8(requestXML("conversation_id='0647e098a4b48b05' to_number='1001' operator_id='42'")),
                full
            ),
            (
                "explicit end tag",
                Body.utf8(
                    #"<in><request><call_consult conversation_id="0647e098a4b48b05" to_number="1001"></call_consult></request></in>"#
                ), noOperator
            ),
            (
                "xml declaration",
                Body.utf8(#"<?xml version="1.0"?>"# + requestXML(#"conversation_id="0647e098a4b48b05" to_number="1001""#)),
                noOperator
            ),
            (
                "declaration with encoding and standalone",
                Body.utf8(
                    #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
                        + requestXML(#"conversation_id="0647e098a4b48b05" to_number="1001""#)), noOperator
            ),
            (
                "whitespace everywhere",
                Body.utf8(
                    """

                    <in >
                      <request>
                        <call_consult
                            conversation_id = "0647e098a4b48b05"
                            to_number\t=\t"1001"
                            operator_id="42"  />
                      </request>
                    </in>

                    """), full
            ),
            (
                "CRLF line ends",
                Body.utf8(
                    "<in>\r\n<request>\r\n<call_consult conversation_id=\"0647e098a4b48b05\" to_number=\"1001\"/>\r\n</request>\r\n</in>\r\n"
                ), noOperator
            ),
            (
                "comments and processing instructions",
                Body.utf8(
                    """
                    <?xml version="1.0"?><!-- before --><?app hint?>
                    <in><!-- inside in --><request><?pi?><call_consult conversation_id="0647e098a4b48b05" to_number="1001"/><!-- x --></request></in>
                    <!-- after --><?after?>
                    """), noOperator
            ),
            (
                "xsi:noNamespaceSchemaLocation on the root",
                Body.utf8(
                    """
                    <in xmlns:xs="http://www.w3.org/2001/XMLSchema-instance" xs:noNamespaceSchemaLocation="call_consult.xsd"><request><call_consult conversation_id="0647e098a4b48b05" to_number="1001"/></request></in>
                    """), noOperator
            ),
            (
                "character references",
                Body.utf8(requestXML(#"conversation_id="&#x30;647e098a4b48b05" to_number="&#49;001" operator_id="4&#x32;""#)),
                full
            ),
            (
                "predefined entities",
                Body.utf8(requestXML(#"conversation_id="a&amp;b&lt;c&gt;d&quot;e&apos;f" to_number="1001""#)),
                CallConsultRequest(conversationID: "a&b<c>d\"e'f", toNumber: "1001")
            ),
            (
                "referenced ampersand", Body.utf8(requestXML(#"conversation_id="&#38;&#x26;" to_number="1001""#)),
                CallConsultRequest(conversationID: "&&", toNumber: "1001")
            ),
            (
                "attribute-value normalization", Body.utf8(requestXML("conversation_id=\"a\tb\nc\r\nd\" to_number=\"1001\"")),
                CallConsultRequest(conversationID: "a b c d", toNumber: "1001")
            ),
            (
                "referenced white space is kept",
                Body.utf8(requestXML(#"conversation_id="a&#9;b&#10;c&#13;d" to_number=" 1001 ""#)),
                CallConsultRequest(conversationID: "a\tb\nc\rd", toNumber: " 1001 ")
            ),
            (
                "empty values", Body.utf8(requestXML(#"conversation_id="" to_number="" operator_id="""#)),
                CallConsultRequest(conversationID: "", toNumber: "", operatorID: "")
            ),
            (
                "non-ASCII values",
                Body.utf8(requestXML(#"conversation_id="разговор-№1" to_number="+7 (383) 555-01-02" operator_id="оператор 😀""#)),
                CallConsultRequest(conversationID: "разговор-№1", toNumber: "+7 (383) 555-01-02", operatorID: "оператор 😀")
            ),
            (
                "UTF-8 byte order mark",
                [0xEF, 0xBB, 0xBF] + Body.utf8(requestXML(#"conversation_id="0647e098a4b48b05" to_number="1001""#)), noOperator
            ),
            (
                "UTF-16LE with byte order mark",
                Body.utf16LE(
                    #"<?xml version="1.0" encoding="UTF-16"?>"#
                        + requestXML(#"conversation_id="ж0647e098a4b48b05" to_number="1001""#)),
                CallConsultRequest(conversationID: "ж0647e098a4b48b05", toNumber: "1001")
            ),
            (
                "UTF-16BE with byte order mark",
                Body.utf16BE(requestXML(#"conversation_id="ж0647e098a4b48b05" to_number="1001" operator_id="42""#)),
                CallConsultRequest(conversationID: "ж0647e098a4b48b05", toNumber: "1001", operatorID: "42")
            ),
            (
                "ISO-8859-1",
                Body.latin1(
                    #"<?xml version="1.0" encoding="ISO-8859-1"?>"# + requestXML(#"conversation_id="café-ü" to_number="1001""#)),
                CallConsultRequest(conversationID: "café-ü", toNumber: "1001")
            ),
            (
                "windows-1251",
                Body.windows1251(
                    #"<?xml version="1.0" encoding="windows-1251"?>"#
                        + requestXML(#"conversation_id="Звонок-ёЁ" to_number="1001" operator_id="Иван""#)),
                CallConsultRequest(conversationID: "Звонок-ёЁ", toNumber: "1001", operatorID: "Иван")
            ),
        ]
        for (label, body, expected) in cases {
            switch decodeRequest(body) {
            case .success(let request): XCTAssertEqual(request, expected, label)
            case .failure(let error): XCTFail("\(label): \(error)")
            }
        }
    }

    func testIssuesSayWhereAndWhich() throws {
        let body = Body.utf8(
            """
            <in>
              <request>
                <call_consult conversation_id="c"/>
              </request>
            </in>
            """)
        guard case .failure(let error) = decodeRequest(body) else { return XCTFail("decoded") }
        XCTAssertEqual(error.kind, .notValid)
        let issue = try XCTUnwrap(error.issues.first)
        XCTAssertEqual(issue.line, 3)
        XCTAssertEqual(issue.column, 5)
        XCTAssertEqual(issue.element, "call_consult")
        XCTAssertEqual(issue.domain, .schema)
        XCTAssertEqual(issue.code, 1868, "libxml2's XML_SCHEMAV_CVC_COMPLEX_TYPE_4")
        XCTAssertEqual(issue.message, "Element 'call_consult': The attribute 'to_number' is required but missing.")

        guard case .failure(let syntax) = decodeRequest(Body.utf8("<in>\n  <request>\n  </reqest>\n</in>")) else {
            return XCTFail("decoded")
        }
        XCTAssertEqual(syntax.kind, .notWellFormed)
        let first = try XCTUnwrap(syntax.issues.first)
        XCTAssertEqual(first.line, 3)
        XCTAssertGreaterThan(first.column, 0)
        XCTAssertEqual(first.element, "request")
        XCTAssertEqual(first.domain, .syntax)
        XCTAssertEqual(first.code, 76, "libxml2's XML_ERR_TAG_NAME_MISMATCH")
    }

    func testEveryValidationIssueIsListed() {
        let body = Body.utf8(#"<in><request><call_consult extra="1" other="2"/></request></in>"#)
        guard case .failure(let error) = decodeRequest(body) else { return XCTFail("decoded") }
        XCTAssertEqual(error.kind, .notValid)
        let messages = error.issues.map(\.message).joined(separator: "\n")
        for fragment in [
            "'extra' is not allowed", "'other' is not allowed", "'conversation_id' is required", "'to_number' is required",
        ] {
            XCTAssertTrue(messages.contains(fragment), "missing \(fragment) in \(messages)")
        }
    }

    func testAcceptsDataArraySliceAndNonContiguousCollections() throws {
        let xml = requestXML(#"conversation_id="c" to_number="1""#)
        let expected = CallConsultRequest(conversationID: "c", toNumber: "1")
        XCTAssertEqual(try codec.decodeRequest(Data(xml.utf8)), expected)
        XCTAssertEqual(try codec.decodeRequest(Array(("xx" + xml).utf8).dropFirst(2)), expected)
        XCTAssertEqual(try codec.decodeRequest(xml.utf8), expected)
        XCTAssertEqual(try codec.decodeRequest(Array(xml.utf8).reversed().reversed()), expected)
    }

    func testRequestCodableUsesWireNames() throws {
        let json = try JSONEncoder().encode(CallConsultRequest(conversationID: "c", toNumber: "1"))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: json) as? [String: Any])
        XCTAssertEqual(object["conversation_id"] as? String, "c")
        XCTAssertEqual(object["to_number"] as? String, "1")
        XCTAssertTrue(object["operator_id"] is NSNull)
        let decoded = try JSONDecoder().decode(
            CallConsultRequest.self, from: Data(#"{"conversation_id":"c","to_number":"1"}"#.utf8))
        XCTAssertEqual(decoded, CallConsultRequest(conversationID: "c", toNumber: "1"))
    }
}
