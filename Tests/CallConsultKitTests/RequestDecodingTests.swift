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

    func testInvalidShapesAreNotValid() {
        let cases: [(String, String, String?)] = [
            ("conversation_id missing", requestXML(#"to_number="1001""#), "'conversation_id' is required"),
            ("to_number missing", requestXML(#"conversation_id="c""#), "'to_number' is required"),
            ("no attributes", requestXML(""), "is required"),
            ("extra attribute", requestXML(#"conversation_id="c" to_number="1" extra="x""#), "'extra' is not allowed"),
            (
                "mode is not in the schema", requestXML(#"conversation_id="c" to_number="1" mode="consult""#),
                "'mode' is not allowed"
            ),
            ("misspelled attribute", requestXML(#"conversationId="c" to_number="1""#), "conversationId"),
            ("upper-case attribute", requestXML(#"CONVERSATION_ID="c" to_number="1""#), "CONVERSATION_ID"),
            ("namespaced attribute", requestXML(#"xmlns:x="urn:x" x:conversation_id="c" to_number="1""#), nil),
            (
                "misspelled element", #"<in><request><call_consul conversation_id="c" to_number="1"/></request></in>"#,
                "call_consul"
            ),
            ("element of another command", #"<in><request><call_hold conversation_id="c"/></request></in>"#, "call_hold"),
            ("empty in", "<in/>", "Missing child"),
            ("empty request", "<in><request/></in>", "Missing child"),
            (
                "call_consult twice",
                #"<in><request><call_consult conversation_id="c" to_number="1"/><call_consult conversation_id="c" to_number="1"/></request></in>"#,
                "call_consult"
            ),
            (
                "request twice",
                #"<in><request><call_consult conversation_id="c" to_number="1"/></request><request><call_consult conversation_id="c" to_number="1"/></request></in>"#,
                "request"
            ),
            (
                "extra element after request",
                #"<in><request><call_consult conversation_id="c" to_number="1"/></request><extra/></in>"#, "extra"
            ),
            (
                "child inside call_consult",
                #"<in><request><call_consult conversation_id="c" to_number="1"><x/></call_consult></request></in>"#, nil
            ),
            (
                "text inside call_consult",
                #"<in><request><call_consult conversation_id="c" to_number="1">text</call_consult></request></in>"#, nil
            ),
            (
                "text inside request", #"<in><request>text<call_consult conversation_id="c" to_number="1"/></request></in>"#,
                "Character content"
            ),
            (
                "text inside in", #"<in>text<request><call_consult conversation_id="c" to_number="1"/></request></in>"#,
                "Character content"
            ),
            (
                "CDATA inside in", #"<in><![CDATA[x]]><request><call_consult conversation_id="c" to_number="1"/></request></in>"#,
                nil
            ),
            (
                "namespaced call_consult",
                #"<in><request><x:call_consult xmlns:x="urn:x" conversation_id="c" to_number="1"/></request></in>"#, nil
            ),
            (
                "default namespace below the root",
                #"<in><request xmlns="urn:ecss"><call_consult conversation_id="c" to_number="1"/></request></in>"#, nil
            ),
            (
                "attribute on in", #"<in id="1"><request><call_consult conversation_id="c" to_number="1"/></request></in>"#,
                "'id' is not allowed"
            ),
        ]
        for (label, xml, fragment) in cases {
            assertRefused(decodeRequest(Body.utf8(xml)), .notValid, mentioning: fragment, label)
        }
    }

    func testWrongRoots() {
        let cases: [(String, String)] = [
            ("a response is schema-valid but not a request", "<out><response><ok/></response></out>"),
            (
                "in with a namespace",
                #"<in xmlns="urn:ecss"><request><call_consult conversation_id="c" to_number="1"/></request></in>"#
            ),
            (
                "prefixed in",
                #"<e:in xmlns:e="urn:ecss"><request><call_consult conversation_id="c" to_number="1"/></request></e:in>"#
            ),
            ("request as root", #"<request><call_consult conversation_id="c" to_number="1"/></request>"#),
            ("call_consult as root", #"<call_consult conversation_id="c" to_number="1"/>"#),
            ("an unknown root", "<foo/>"),
            ("upper-case IN", #"<IN><request><call_consult conversation_id="c" to_number="1"/></request></IN>"#),
        ]
        for (label, xml) in cases {
            assertRefused(decodeRequest(Body.utf8(xml)), .wrongRoot, mentioning: "'in'", label)
        }
    }

    func testNotWellFormedShapes() {
        let valid = requestXML(#"conversation_id="c" to_number="1""#)
        let cases: [(String, [UInt8])] = [
            ("empty body", []),
            ("only white space", Body.utf8("  \n ")),
            ("only a declaration", Body.utf8(#"<?xml version="1.0"?>"#)),
            ("plain text", Body.utf8("hello")),
            ("JSON", Body.utf8(#"{"conversation_id": "c"}"#)),
            ("unclosed root", Body.utf8(#"<in><request><call_consult conversation_id="c" to_number="1"/></request>"#)),
            ("mismatched end tag", Body.utf8(#"<in><request><call_consult conversation_id="c" to_number="1"/></reqest></in>"#)),
            ("duplicate attribute", Body.utf8(requestXML(#"conversation_id="c" conversation_id="d" to_number="1""#))),
            ("unquoted attribute", Body.utf8(requestXML(#"conversation_id=c to_number="1""#))),
            ("attribute without value", Body.utf8(requestXML(#"conversation_id to_number="1""#))),
            ("< in an attribute value", Body.utf8(requestXML(#"conversation_id="a<b" to_number="1""#))),
            ("bare ampersand", Body.utf8(requestXML(#"conversation_id="a&b" to_number="1""#))),
            ("undefined entity", Body.utf8(requestXML(#"conversation_id="&foo;" to_number="1""#))),
            ("reference to a forbidden character", Body.utf8(requestXML(#"conversation_id="&#1;" to_number="1""#))),
            ("reference to NUL", Body.utf8(requestXML(#"conversation_id="&#0;" to_number="1""#))),
            ("two roots", Body.utf8(valid + valid)),
            ("text after the root", Body.utf8(valid + "trailing")),
            ("declaration not at the start", Body.utf8(" " + #"<?xml version="1.0"?>"# + valid)),
            ("declaration twice", Body.utf8(#"<?xml version="1.0"?><?xml version="1.0"?>"# + valid)),
            ("ends mid-tag", Body.utf8(#"<in><request><call_consult conversation_id="c" to_nu"#)),
            ("ends mid-value", Body.utf8(#"<in><request><call_consult conversation_id="c"#)),
            ("ends mid-reference", Body.utf8(#"<in><request><call_consult conversation_id="&#x4"#)),
            ("ends after <", Body.utf8("<")),
            ("unbound prefix", Body.utf8(#"<in><request><x:call_consult conversation_id="c" to_number="1"/></request></in>"#)),
            (
                "invalid UTF-8",
                Body.utf8("<in><request><call_consult conversation_id=\"") + [0xC3, 0x28]
                    + Body.utf8("\" to_number=\"1\"/></request></in>")
            ),
            (
                "overlong UTF-8",
                Body.utf8("<in><request><call_consult conversation_id=\"") + [0xC0, 0xAF]
                    + Body.utf8("\" to_number=\"1\"/></request></in>")
            ),
            (
                "UTF-8 surrogate",
                Body.utf8("<in><request><call_consult conversation_id=\"") + [0xED, 0xA0, 0x80]
                    + Body.utf8("\" to_number=\"1\"/></request></in>")
            ),
            (
                "NUL inside",
                Body.utf8("<in><request><call_consult conversation_id=\"a") + [0]
                    + Body.utf8("\" to_number=\"1\"/></request></in>")
            ),
            ("control character", Body.utf8(requestXML("conversation_id=\"a\u{1}b\" to_number=\"1\""))),
            ("UTF-16 without byte order mark", Body.utf16LE(valid, bom: false)),
            ("UTF-16BE without byte order mark", Body.utf16BE(valid, bom: false)),
            ("unknown encoding", Body.utf8(#"<?xml version="1.0" encoding="x-no-such-encoding"?>"# + valid)),
            (
                "XML 1.1 control reference",
                Body.utf8(#"<?xml version="1.0"?>"# + requestXML(#"conversation_id="&#x7;" to_number="1""#))
            ),
        ]
        for (label, body) in cases {
            assertRefused(decodeRequest(body), .notWellFormed, label)
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
