import XCTest

@testable import CallConsultKit

/// `Schemas/` is the single source of truth; the library carries a generated copy.
final class BundledSchemasTests: XCTestCase {
    func testBundledSchemasEqualSchemasFolderByteForByte() throws {
        let schemas = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Schemas")
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: schemas.path)
            .filter { $0.hasSuffix(".xsd") }.sorted()
        XCTAssertEqual(
            BundledSchemas.files.map(\.name).sorted(), onDisk,
            "Schemas/ and BundledSchemas.swift list different files: run Scripts/embed-schemas.sh")
        for (name, text) in BundledSchemas.files {
            let expected = try Data(contentsOf: schemas.appendingPathComponent(name))
            let embedded = text.withUTF8Buffer { Data($0) }
            XCTAssertEqual(embedded, expected, "\(name) differs from Schemas/\(name): run Scripts/embed-schemas.sh")
        }
    }

    func testVendorSchemaComponentsAreUnchanged() throws {
        // The vendor's schema keeps its include, its unused Mode type and both global elements.
        let text = try XCTUnwrap(BundledSchemas.files.first { $0.name == "call_consult.xsd" }).text.description
        XCTAssertTrue(text.contains(#"<xs:include schemaLocation="error.xsd"/>"#))
        XCTAssertTrue(text.contains(#"<xs:simpleType name="Mode">"#))
        XCTAssertTrue(text.contains(#"<xs:element name="in">"#))
        XCTAssertTrue(text.contains(#"<xs:element name="out">"#))
    }

    func testSchemaCompilesWithIncludeResolvedInMemory() throws {
        // Run from a folder that holds no error.xsd: nothing may be read from disk.
        let previous = FileManager.default.currentDirectoryPath
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("ccx-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(empty.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let compiled = CompiledSchema.compile(BundledSchemas.files, main: "call_consult.xsd", as: .callConsult)
        if case .failure(let error) = compiled { XCTFail("\(error)") }
    }

    func testIncludeOfAnUnknownFileIsATypedFailure() {
        let files: [(name: String, text: StaticString)] = [
            (
                "main.xsd",
                """
                <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
                <xs:include schemaLocation="missing.xsd"/></xs:schema>
                """
            )
        ]
        guard case .failure(let error) = CompiledSchema.compile(files, main: "main.xsd", as: .callConsult) else {
            return XCTFail("a schema including an unknown file compiled")
        }
        XCTAssertEqual(error.kind, .internalFailure)
        XCTAssertTrue(error.issues.contains { $0.message.contains("missing.xsd") }, "\(error)")
    }
}
