import TestSupport
import XCTest

@testable import CallConsultKit

/// Every bundled schema of the family compiles, and each command is held to its own file.
final class BundledCommandSchemasTests: XCTestCase {
    func testEveryBundledSchemaCompiles() {
        XCTAssertEqual(BundledSchema.allCases.count, 13)
        for schema in BundledSchema.allCases {
            switch schema.compiled {
            case .success(let compiled): XCTAssertEqual(compiled.id, schema, schema.fileName)
            case .failure(let error): XCTFail("\(schema.fileName): \(error)")
            }
            // Compiled once: the second ask gives the same object.
            if case .success(let first) = schema.compiled, case .success(let second) = schema.compiled {
                XCTAssertTrue(first === second, schema.fileName)
            }
        }
    }

    func testTheBundledFilesAreTheSchemasFolder() throws {
        let folder = Xmllint.packageRoot.appendingPathComponent("Schemas")
        let onDisk = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".xsd") })
        XCTAssertEqual(onDisk.count, 14)
        // Every file but error.xsd (included by the others) is a schema of its own.
        XCTAssertEqual(Set(BundledSchema.allCases.map(\.fileName)), onDisk.subtracting(["error.xsd"]))
        XCTAssertEqual(Set(BundledSchemas.files.map(\.name)), onDisk)
        XCTAssertEqual(Set(BundledSchema.allCases.map(\.fileName)).count, 13, "two cases name one file")
    }

    func testEachCommandUsesTheSchemaOfItsName() {
        for command in CommandName.allCases {
            XCTAssertEqual(command.schema.fileName, command.schemaFileName, "\(command)")
            XCTAssertEqual(command.requestRoot.name.description, command == .monitor ? "monitor" : "in")
        }
        XCTAssertEqual(Set(CommandName.allCases.map(\.schema)).count, CommandName.allCases.count)
    }

    func testSchemasIncludeErrorXSDExceptLoginAndMonitor() throws {
        for (name, text) in BundledSchemas.files where name != "error.xsd" {
            let includesError = text.description.contains(#"<xs:include schemaLocation="error.xsd"/>"#)
            let expected = !["login.xsd", "monitor.xsd", "conferences_event.xsd", "conference_participants_event.xsd"].contains(
                name)
            XCTAssertEqual(includesError, expected, name)
        }
        // The notifications build on monitor.xsd's baseEventType.
        for name in ["conferences_event.xsd", "conference_participants_event.xsd"] {
            let text = try XCTUnwrap(BundledSchemas.files.first { $0.name == name }).text.description
            XCTAssertTrue(text.contains(#"<xs:include schemaLocation="monitor.xsd"/>"#), name)
        }
    }
}
