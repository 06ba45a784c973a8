import CallConsultKit
import XCTest

/// Every shape of a request that is refused: not valid against the schema, another root, not
/// well-formed.
final class RequestRefusalTests: XCTestCase {
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
}
