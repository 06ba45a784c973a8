import CallConsultKit
import Foundation
import TestSupport
import XCTest

/// How a user's schema includes `error.xsd`, compared with xmllint reading the same schema with
/// the file beside it.
final class CommandSchemaIncludeTests: XCTestCase {
    /// What xmllint and the library say of `xsd` as a schema, and of `documents` against it.
    private func compare(
        _ label: String, _ xsd: String, _ documents: [(String, MessageKind)], file: StaticString = #filePath,
        line: UInt = #line
    ) throws {
        let xmllint = try Xmllint.url()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ccx-include-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("user.xsd")
        try Data(xsd.utf8).write(to: path)
        try FileManager.default.copyItem(
            at: Xmllint.packageRoot.appendingPathComponent("Schemas/error.xsd"), to: folder.appendingPathComponent("error.xsd"))
        let schema = Result { () throws(SchemaError) in try CommandSchema(name: "user", xsd: Array(xsd.utf8)) }
        for (xml, kind) in documents {
            let theirs = try Xmllint.run(xmllint, on: xml, schemaPath: path.path)
            let schemaCompiles = !theirs.output.contains("failed to compile")
            switch schema {
            case .failure(let error):
                XCTAssertFalse(schemaCompiles, "\(label): xmllint compiles it, the library says \(error)", file: file, line: line)
            case .success(let schema):
                XCTAssertTrue(
                    schemaCompiles, "\(label): the library compiles it, xmllint says \(theirs.output)", file: file, line: line)
                let ours = Result { () throws(DocumentError) in try codec.decodeElement(Body.utf8(xml), as: kind, schema: schema)
                }
                XCTAssertEqual(
                    (try? ours.get()) != nil, theirs.valid, "\(label): \(xml): \(ours) / \(theirs.output)", file: file, line: line
                )
                if case .failure(let error) = ours {
                    XCTAssertEqual(error.xmllintForm, theirs.issues, "\(label): \(xml)", file: file, line: line)
                }
            }
        }
    }

    private static let documents: [(String, MessageKind)] = [
        ("<in>\n  <request/>\n</in>\n", .request),
        ("<in>\n  <request>\n    <x/>\n  </request>\n</in>\n", .request),
        ("<out>\n  <error reason=\"r\" cmd=\"c\"/>\n</out>\n", .response),
        ("<out>\n  <error cmd=\"c\"/>\n</out>\n", .response),
    ]

    private static func schema(prefix: String, includes: Int = 1, extra: String = "") -> String {
        let p = prefix.isEmpty ? "" : prefix + ":"
        let declaration = prefix.isEmpty ? "xmlns" : "xmlns:\(prefix)"
        let include = String(repeating: "  <\(p)include schemaLocation=\"error.xsd\"/>\n", count: includes)
        return """
            <\(p)schema \(declaration)="http://www.w3.org/2001/XMLSchema">
            \(include)\(extra)  <\(p)element name="in">
                <\(p)complexType>
                  <\(p)sequence><\(p)element name="request"/></\(p)sequence>
                </\(p)complexType>
              </\(p)element>
              <\(p)element name="out">
                <\(p)complexType>
                  <\(p)sequence><\(p)element name="error" type="errorType"/></\(p)sequence>
                </\(p)complexType>
              </\(p)element>
            </\(p)schema>

            """
    }

    func testIncludeWithTheUsualPrefix() throws {
        try compare("xs:", Self.schema(prefix: "xs"), Self.documents)
    }

    func testIncludeWithAnotherPrefix() throws {
        try compare("xsd:", Self.schema(prefix: "xsd"), Self.documents)
    }

    func testIncludeWithAPrefixThatErrorXSDUsesForSomethingElse() throws {
        // The user's 'xs' is not the XML Schema namespace; error.xsd's 'xs:string' must still be.
        let xsd = Self.schema(prefix: "xsd").replacingOccurrences(
            of: "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"",
            with: "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xs=\"urn:not-schema\"")
        try compare("xs: bound elsewhere", xsd, Self.documents)
    }

    func testErrorXSDIncludedTwice() throws {
        try compare("twice", Self.schema(prefix: "xs", includes: 2), Self.documents)
    }

    func testAnErrorTypeOfTheUsersOwnBesideTheIncludedOne() throws {
        let own = "  <xs:complexType name=\"errorType\"/>\n"
        try compare("errorType twice", Self.schema(prefix: "xs", extra: own), Self.documents)
    }
}
