import CallConsultKit
import XCTest

/// The ECSS-10 websocket form: the same messages written as JSON, converted both ways without loss.
final class JSONFormTests: XCTestCase {
    /// The vendor's published request example (a sibling command of the same family).
    static let vendorRequest =
        #"[{"_name": "in", "_content": [{"_name": "request", "_content": [{"_name": "call_hold", "_attributes": {"conversation_id": "0647e098a4b48b05"}}]}]}]"#
    /// The vendor's published response example.
    static let vendorResponse =
        #"[{"_name": "out", "_attributes": {"xmlns:xs": "http://www.w3.org/2001/XMLSchema-instance", "xs:noNamespaceSchemaLocation": "unblock_operator.xsd"}, "_content": [{"_name": "response", "_content": [{"_name": "ok"}]}]}]"#

    func testVendorExamplesReadAndWriteBackToTheSameText() throws {
        for text in [Self.vendorRequest, Self.vendorResponse] {
            XCTAssertEqual(try MessageElement(jsonForm: text).jsonForm(), text)
        }
        let request = try MessageElement(jsonForm: Self.vendorRequest)
        XCTAssertEqual(request.name, "in")
        guard case .element(let inner) = request.content.first, case .element(let command) = inner.content.first else {
            return XCTFail("unexpected shape \(request)")
        }
        XCTAssertEqual(command.name, "call_hold")
        XCTAssertEqual(command.attributes, [.init(name: "conversation_id", value: "0647e098a4b48b05")])
    }

    func testControlAndLineSeparatorCharactersAreEscapedAndReadBack() throws {
        let value = "a\u{7F}b\u{2028}c\u{1}\"\\\t"
        let element = MessageElement(name: "ok", attributes: [.init(name: "x", value: value)], content: [.text(value)])
        let text = element.jsonForm()
        XCTAssertEqual(
            text,
            #"[{"_name": "ok", "_attributes": {"x": "a\u007fb\u2028c\u0001\"\\\t"}, "_content": ["a\u007fb\u2028c\u0001\"\\\t"]}]"#
        )
        XCTAssertEqual(try MessageElement(jsonForm: text), element)
    }

    func testVendorResponseBecomesAValidOutDocumentAndComesBackUnchanged() throws {
        let xml = try codec.xml(fromJSONForm: Self.vendorResponse, as: .response)
        XCTAssertEqual(
            String(decoding: xml, as: UTF8.self),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<out xmlns:xs=\"http://www.w3.org/2001/XMLSchema-instance\" xs:noNamespaceSchemaLocation=\"unblock_operator.xsd\"><response><ok/></response></out>\n"
        )
        XCTAssertEqual(try codec.decodeResponse(xml), .ok)
        XCTAssertEqual(try codec.jsonForm(ofXML: xml, as: .response), Self.vendorResponse)
    }

    func testVendorRequestShapeIsCheckedAgainstTheCallConsultSchema() throws {
        // call_hold is another command: the JSON is well-formed, the message is not a call_consult.
        XCTAssertThrowsError(try codec.xml(fromJSONForm: Self.vendorRequest, as: .request)) { error in
            XCTAssertEqual((error as? DocumentError)?.kind, .notValid, "\(error)")
        }
        let consult = Self.vendorRequest.replacingOccurrences(
            of: #"{"_name": "call_hold", "_attributes": {"conversation_id": "0647e098a4b48b05"}}"#,
            with: #"{"_name": "call_consult", "_attributes": {"conversation_id": "0647e098a4b48b05", "to_number": "1001"}}"#)
        let xml = try codec.xml(fromJSONForm: consult, as: .request)
        XCTAssertEqual(try codec.decodeRequest(xml), CallConsultRequest(conversationID: "0647e098a4b48b05", toNumber: "1001"))
        XCTAssertEqual(try codec.jsonForm(ofXML: xml, as: .request), consult)
    }

    func testXMLToJSONToXMLKeepsEveryValue() throws {
        for value in EncodingTests.hostileValues {
            let request = CallConsultRequest(conversationID: value, toNumber: "1", operatorID: value)
            let json = try codec.jsonForm(ofXML: codec.encode(request), as: .request)
            XCTAssertEqual(try codec.decodeRequest(codec.xml(fromJSONForm: json, as: .request)), request, value.debugDescription)
            let reply = CommandResponse.error(ErrorReply(reason: value, command: "call_consult"))
            let answer = try codec.jsonForm(ofXML: codec.encode(reply), as: .response)
            XCTAssertEqual(
                try codec.decodeResponse(codec.xml(fromJSONForm: answer, as: .response)), reply, value.debugDescription)
        }
    }

    func testTreeKeepsNamespacesPrefixesAndDropsWhiteSpaceBetweenElements() throws {
        let body = Body.utf8(
            """
            <in xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="call_consult.xsd">
              <request>
                <call_consult to_number="1" conversation_id="a&amp;b"/>
              </request>
            </in>
            """)
        let tree = try codec.decodeElement(body, as: .request)
        XCTAssertEqual(
            tree,
            MessageElement(
                name: "in",
                attributes: [
                    .init(name: "xmlns:xsi", value: "http://www.w3.org/2001/XMLSchema-instance"),
                    .init(name: "xsi:noNamespaceSchemaLocation", value: "call_consult.xsd"),
                ],
                content: [
                    .element(
                        MessageElement(
                            name: "request",
                            content: [
                                .element(
                                    MessageElement(
                                        name: "call_consult",
                                        attributes: [
                                            .init(name: "to_number", value: "1"), .init(name: "conversation_id", value: "a&b"),
                                        ]))
                            ]))
                ]))
        // Text where the schema allows it (ok is xs:anyType) is kept.
        let ok = try codec.decodeElement(Body.utf8("<out><response><ok>fine &amp; dandy</ok></response></out>"), as: .response)
        XCTAssertEqual(
            ok.jsonForm(),
            #"[{"_name": "out", "_content": [{"_name": "response", "_content": [{"_name": "ok", "_content": ["fine & dandy"]}]}]}]"#
        )
    }

    func testMalformedJSONFormsAreTypedErrors() {
        let cases: [(String, String)] = [
            ("", "ends where a value belongs"),
            ("[", "ends where a value belongs"),
            ("{\"_name\": \"in\"", "ends inside an object"),
            ("[{\"_name\": 1}]", "only objects, arrays and strings"),
            ("[{\"_name\": null}]", "only objects, arrays and strings"),
            ("[{\"_content\": []}]", "no _name"),
            ("[{\"_name\": \"in\", \"_other\": \"x\"}]", "unknown key"),
            ("[{\"_name\": \"in\", \"_name\": \"out\"}]", "appears twice"),
            ("[{\"_name\": [\"in\"]}]", "_name is a string"),
            ("[{\"_name\": \"in\", \"_attributes\": {\"a\": {}}}]", "is not a string"),
            ("[{\"_name\": \"in\", \"_content\": {}}]", "_content is an array"),
            ("[{\"_name\": \"in\"}, {\"_name\": \"out\"}]", "exactly one message"),
            ("[{\"_name\": \"in\"}] x", "text after"),
            ("[{\"_name\": \"\\ud800\"}]", "surrogate"),
            ("[{\"_name\": \"\\udc00\"}]", "lone low surrogate"),
            ("[{\"_name\": \"\\q\"}]", "unknown escape"),
            ("[{\"_name\": \"a\nb\"}]", "control character"),
            (String(repeating: "[", count: 100_000), "nested deeper than 64"),
        ]
        for (text, fragment) in cases {
            do {
                _ = try MessageElement(jsonForm: text)
                XCTFail("accepted \(text.prefix(40))")
            } catch {
                XCTAssertTrue(fragment.isEmpty || error.message.contains(fragment), "\(text.prefix(40)): \(error)")
            }
        }
    }

    func testJSONThatCannotBecomeAValidMessageIsRefused() {
        let cases: [(String, String)] = [
            (#"[{"_name": "in<"}]"#, "EncodingError"),
            (#"[{"_name": "in", "_attributes": {"a b": "1"}}]"#, "EncodingError"),
            (#"[{"_name": "in", "_attributes": {"conversation_id": "\u0001"}}]"#, "EncodingError"),
            (#"[{"_name": "out", "_content": [{"_name": "response", "_content": [{"_name": "ok"}]}]}]"#, "DocumentError"),
            (#"[{"_name": "x:in"}]"#, "DocumentError"),
        ]
        for (json, expected) in cases {
            XCTAssertThrowsError(try codec.xml(fromJSONForm: json, as: .request)) { error in
                XCTAssertEqual(String(describing: type(of: error)), expected, "\(json): \(error)")
            }
        }
        let small = CallConsultCodec(limits: DecodingLimits(maxBodyBytes: 10))
        XCTAssertThrowsError(try small.xml(fromJSONForm: Self.vendorResponse, as: .response)) { error in
            XCTAssertTrue(error is JSONFormError, "\(error)")
        }
    }
}
