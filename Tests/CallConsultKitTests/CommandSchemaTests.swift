import CallConsultKit
import Foundation
import TestSupport
import XCTest

/// A user's schema given as bytes: compiled with `error.xsd` from the bundle, held to the same
/// rules and giving the same errors as the bundled schemas, and refused when it names anything else.
final class CommandSchemaTests: XCTestCase {
    /// A schema of a command this package does not ship, written as its siblings are.
    static func siblingXSD(_ command: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">

            <xs:include schemaLocation="error.xsd"/>

            <xs:complexType name="Command">
                <xs:attribute name="conversation_id" type="xs:string" use="required"/>
                <xs:attribute name="operator_id" type="xs:string" use="optional"/>
            </xs:complexType>

            <xs:element name="in">
                <xs:complexType>
                    <xs:all>
                        <xs:element name="request">
                            <xs:complexType>
                                <xs:sequence>
                                    <xs:element name="\(command)" type="Command"/>
                                </xs:sequence>
                            </xs:complexType>
                        </xs:element>
                    </xs:all>
                </xs:complexType>
            </xs:element>
            <xs:element name="out">
                <xs:complexType>
                    <xs:choice>
                        <xs:element name="response">
                            <xs:complexType>
                                <xs:sequence>
                                    <xs:element name="ok"/>
                                </xs:sequence>
                            </xs:complexType>
                        </xs:element>
                        <xs:element name="error" type="errorType"/>
                    </xs:choice>
                </xs:complexType>
            </xs:element>
        </xs:schema>

        """
    }

    private func element(_ xml: String, _ kind: MessageKind, _ schema: CommandSchema) -> Result<MessageElement, DocumentError> {
        Result { () throws(DocumentError) in try codec.decodeElement(Body.utf8(xml), as: kind, schema: schema) }
    }

    private func element(_ xml: String, _ kind: MessageKind, _ command: CommandName) -> Result<MessageElement, DocumentError> {
        Result { () throws(DocumentError) in try codec.decodeElement(Body.utf8(xml), as: kind, command: command) }
    }

    private func compile(_ xsd: String, name: String = "user") -> Result<CommandSchema, SchemaError> {
        Result { () throws(SchemaError) in try CommandSchema(name: name, xsd: Array(xsd.utf8)) }
    }

    func testTheBundledCallHoldSchemaGivenAsBytesBehavesAsTheBundledOne() throws {
        let text = try String(contentsOf: Xmllint.packageRoot.appendingPathComponent("Schemas/call_hold.xsd"), encoding: .utf8)
        let schema = try CommandSchema(name: "call_hold", xsd: Array(text.utf8))
        XCTAssertEqual(schema.description, "CommandSchema(call_hold)")
        let documents: [(String, MessageKind)] =
            [
                (CommandSample.of(.callHold).fullXML, .request), (CommandSample.of(.callHold).minimalXML, .request),
                ("<out>\n  <response><ok/></response>\n</out>\n", .request),
                ("<in>\n  <request>\n    <call_hold/>\n  </request>\n</in>\n", .request),
                ("<in>\n  <request>\n    <call_unhold conversation_id=\"c\"/>\n  </request>\n</in>\n", .request),
                ("<in><request><call_hold conversation_id=\"c\">", .request),
                (#"<!DOCTYPE in [<!ENTITY a "b">]><in/>"#, .request),
                ("<in>" + String(repeating: "<a>", count: 40) + String(repeating: "</a>", count: 40) + "</in>", .request),
                ("<x:in xmlns:x=\"urn:x\"/>", .request),
            ] + CommandXmllintTests.answers.map { ($0.1, MessageKind.response) }
        for (xml, kind) in documents {
            XCTAssertEqual(element(xml, kind, schema), element(xml, kind, .callHold), xml)
        }
    }

    func testANewCommandsSchemaValidatesLikeXmllint() throws {
        let xsd = Self.siblingXSD("call_pickup")
        let schema = try CommandSchema(name: "call_pickup", xsd: Array(xsd.utf8))
        let valid =
            "<in>\n  <request>\n    <call_pickup conversation_id=\"c\"\n                 operator_id=\"o\"/>\n  </request>\n</in>\n"
        XCTAssertEqual(
            try element(valid, .request, schema).get(),
            MessageElement(
                name: "in",
                content: [
                    .element(
                        MessageElement(
                            name: "request",
                            content: [
                                .element(
                                    MessageElement(
                                        name: "call_pickup",
                                        attributes: [
                                            .init(name: "conversation_id", value: "c"), .init(name: "operator_id", value: "o"),
                                        ]))
                            ]))
                ]))
        XCTAssertEqual(
            try codec.jsonForm(ofXML: Body.utf8(valid), as: .request, schema: schema),
            try element(valid, .request, schema).get().jsonForm())
        let json = try codec.jsonForm(ofXML: Body.utf8(valid), as: .request, schema: schema)
        XCTAssertEqual(
            try element(
                String(decoding: codec.xml(fromJSONForm: json, as: .request, schema: schema), as: UTF8.self), .request, schema
            ).get(), try element(valid, .request, schema).get())
        XCTAssertThrowsError(try codec.xml(fromJSONForm: JSONFormTests.vendorRequest, as: .request, schema: schema)) {
            XCTAssertEqual(($0 as? DocumentError)?.kind, .notValid)
        }

        // The same documents, through xmllint with the schema and error.xsd beside it.
        let xmllint = try Xmllint.url()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ccx-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(xsd.utf8).write(to: folder.appendingPathComponent("call_pickup.xsd"))
        try FileManager.default.copyItem(
            at: Xmllint.packageRoot.appendingPathComponent("Schemas/error.xsd"), to: folder.appendingPathComponent("error.xsd"))
        let requests = [
            valid,
            "<in>\n  <request>\n    <call_pickup\n        operator_id=\"o\"/>\n  </request>\n</in>\n",
            "<in>\n  <request>\n    <call_hold conversation_id=\"c\"/>\n  </request>\n</in>\n",
            "<in>\n  <request>\n    <call_pickup conversation_id=\"c\"/>\n    text\n  </request>\n</in>\n",
            "<in>\n\n</in>\n",
        ]
        var cases = requests.map { ($0, MessageKind.request) }
        cases += CommandXmllintTests.answers.map { ($0.1, MessageKind.response) }
        var invalid = 0
        for (xml, kind) in cases {
            let ours = element(xml, kind, schema)
            let theirs = try Xmllint.run(xmllint, on: xml, schemaPath: folder.appendingPathComponent("call_pickup.xsd").path)
            XCTAssertEqual((try? ours.get()) != nil, theirs.valid, "\(xml): \(ours) / \(theirs.output)")
            guard case .failure(let error) = ours else { continue }
            invalid += 1
            XCTAssertEqual(error.kind, .notValid, xml)
            XCTAssertEqual(error.xmllintForm, theirs.issues, xml)
        }
        XCTAssertEqual(invalid, 4 + 5)
    }

    func testReferencesToOtherDocumentsAreRefusedWithTheirLine() {
        let head = "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n  <xs:include schemaLocation=\"error.xsd\"/>\n"
        let cases: [(String, String)] = [
            ("another file", "  <xs:include schemaLocation=\"call_hold.xsd\"/>\n"),
            ("a path to error.xsd", "  <xs:include schemaLocation=\"./error.xsd\"/>\n"),
            ("no location", "  <xs:include/>\n"),
            ("an import", "  <xs:import namespace=\"urn:x\" schemaLocation=\"x.xsd\"/>\n"),
            ("an import without location", "  <xs:import namespace=\"urn:x\"/>\n"),
            ("a redefine", "  <xs:redefine schemaLocation=\"error.xsd\"/>\n"),
            ("an override", "  <xs:override schemaLocation=\"error.xsd\"/>\n"),
            (
                "a nested include",
                "  <xs:complexType name=\"T\">\n    <xs:include schemaLocation=\"error.xsd\"/>\n  </xs:complexType>\n"
            ),
            (
                "an include in appinfo",
                "  <xs:annotation>\n    <xs:appinfo>\n      <xs:include schemaLocation=\"error.xsd\"/>\n    </xs:appinfo>\n  </xs:annotation>\n"
            ),
        ]
        for (label, reference) in cases {
            let lines = reference.split(separator: "\n")
            let line =
                3
                + (lines.firstIndex {
                    $0.contains(":include") || $0.contains(":import") || $0.contains(":redefine") || $0.contains(":override")
                } ?? 0)
            let xsd = head + reference + "  <xs:element name=\"in\"/>\n</xs:schema>\n"
            guard case .failure(let error) = compile(xsd) else {
                XCTFail("\(label): compiled")
                continue
            }
            XCTAssertEqual(error.kind, .refusedReference, "\(label): \(error)")
            XCTAssertEqual(error.kind.code, "refused_reference")
            XCTAssertEqual(error.issues.first?.line, line, "\(label): \(error)")
            XCTAssertEqual(error.issues.first?.domain, .policy, "\(label)")
        }
    }

    func testDoctypesAreRefusedAndNothingIsFetched() throws {
        let listener = try LoopbackListener()
        let url = "http://127.0.0.1:\(listener.port)"
        let schema = Self.siblingXSD("x").replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", with: "")
        let doctypes = [
            "<!DOCTYPE xs:schema SYSTEM \"\(url)/XMLSchema.dtd\">\n",
            "<!DOCTYPE xs:schema PUBLIC \"-//W3C//DTD XMLSCHEMA 200102//EN\" \"\(url)/XMLSchema.dtd\">\n",
            "<!DOCTYPE xs:schema [<!ENTITY % p SYSTEM \"\(url)/p.ent\"> %p;]>\n",
            "<!DOCTYPE xs:schema [<!ENTITY e SYSTEM \"\(url)/e.ent\">]>\n",
            "<!DOCTYPE xs:schema [<!ENTITY a \"lol\">]>\n",
        ]
        for doctype in doctypes {
            let printed = capturingStandardError {
                guard case .failure(let error) = compile(doctype + schema) else { return XCTFail("\(doctype): compiled") }
                XCTAssertEqual(error.kind, .refusedByPolicy, "\(doctype): \(error)")
                XCTAssertTrue(error.issues.contains { $0.message.contains("DOCTYPE") }, "\(error)")
            }
            XCTAssertEqual(printed, "", doctype)
            XCTAssertEqual(listener.pendingConnections(), 0, "a connection was attempted for \(doctype)")
        }
        // An entity reference in the schema's text, with the entity declared over the network.
        let referencing =
            "<!DOCTYPE xs:schema [<!ENTITY e SYSTEM \"\(url)/e.ent\">]>\n"
            + schema.replacingOccurrences(of: "<xs:complexType name=\"Command\">", with: "<xs:complexType name=\"Command\">&e;")
        XCTAssertEqual(try? compile(referencing).get(), nil)
        XCTAssertEqual(listener.pendingConnections(), 0, "a connection was attempted for an external entity")
    }

    func testOtherFailuresHaveTheirKinds() {
        let cases: [(String, String, SchemaError.Kind)] = [
            (
                "not well-formed",
                "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n<xs:element name=\"in\">\n</xs:schema>",
                .notWellFormed
            ),
            ("empty", "", .notWellFormed),
            ("not XML", "call_hold.xsd", .notWellFormed),
            ("root not xs:schema", "<schema><element name=\"in\"/></schema>", .invalid),
            ("xs:schema of another namespace", "<xs:schema xmlns:xs=\"urn:x\"/>", .invalid),
            ("an XML document", CommandSample.of(.callHold).fullXML, .invalid),
            (
                "a missing type",
                "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n  <xs:element name=\"in\" type=\"Missing\"/>\n</xs:schema>",
                .invalid
            ),
            (
                "an unknown component",
                "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n  <xs:elephant name=\"in\"/>\n</xs:schema>",
                .invalid
            ),
            (
                "two elements of one name",
                "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element name=\"in\"/><xs:element name=\"in\"/></xs:schema>",
                .invalid
            ),
        ]
        for (label, xsd, kind) in cases {
            let printed = capturingStandardError {
                guard case .failure(let error) = compile(xsd) else { return XCTFail("\(label): compiled") }
                XCTAssertEqual(error.kind, kind, "\(label): \(error)")
                XCTAssertFalse(error.issues.isEmpty, label)
                XCTAssertTrue(error.issues.allSatisfy { !$0.message.isEmpty }, "\(label): \(error)")
            }
            XCTAssertEqual(printed, "", label)
        }
        // The smallest schema there is compiles; it declares no element, so every document is refused.
        let empty = try? compile("<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"/>").get()
        XCTAssertNotNil(empty)
        if let empty {
            assertRefused(element("<in/>", .request, empty), .notValid, "a schema with no element")
        }
    }

    func testSizeLimit() throws {
        let xsd = Self.siblingXSD("x")
        let padding = CommandSchema.maxBytes - xsd.utf8.count - "<!---->".utf8.count
        let atLimit = xsd + "<!--" + String(repeating: "p", count: padding) + "-->"
        XCTAssertEqual(atLimit.utf8.count, CommandSchema.maxBytes)
        XCTAssertNoThrow(try CommandSchema(name: "x", xsd: Array(atLimit.utf8)))
        guard case .failure(let error) = compile(atLimit + " ") else { return XCTFail("over the limit compiled") }
        XCTAssertEqual(error.kind, .tooLarge)
        XCTAssertTrue(error.issues.first?.message.contains("\(CommandSchema.maxBytes + 1) bytes") ?? false, "\(error)")
        XCTAssertEqual(CommandSchema.maxBytes, 1 << 20)
    }

    func testEqualityIsTheCompiledSchemasIdentity() throws {
        let bytes = Array(Self.siblingXSD("x").utf8)
        let one = try CommandSchema(name: "x", xsd: bytes)
        let copy = one
        let other = try CommandSchema(name: "x", xsd: bytes)
        XCTAssertEqual(one, copy)
        XCTAssertNotEqual(one, other)
        XCTAssertEqual(Set([one, copy, other]).count, 2)
    }
}
