import Foundation
import XCTest

/// The `callconsult` executable's output and exit status: a contract other tools test against.
final class CallConsultCLITests: XCTestCase {
    private static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    }

    private func executable() throws -> URL {
        #if os(macOS)
        let products = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL.deletingLastPathComponent()
        #else
        let products = Bundle.main.bundleURL
        #endif
        let url = try XCTUnwrap(products).appendingPathComponent("callconsult")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw XCTSkip("callconsult is not built next to the tests at \(url.path)")
        }
        return url
    }

    private func run(_ arguments: [String], stdin: Data? = nil) throws -> Run {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.currentDirectoryURL = Self.packageRoot
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    private func json(_ line: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], line)
    }

    func testValidateJSONOneObjectPerInputInOrder() throws {
        let files = [
            "Examples/valid-request.xml", "Examples/invalid-request.xml", "Examples/valid-request-no-operator.xml",
            "Examples/not-well-formed-request.xml", "Examples/doctype-request.xml", "Examples/response-ok.xml",
            "Examples/no-such-file.xml",
        ]
        let result = try run(["validate", "--json"] + files)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.lines.count, files.count, result.stdout)
        let objects = try result.lines.map(json)
        XCTAssertEqual(objects.map { $0["file"] as? String }, files)

        XCTAssertEqual(
            result.lines[0],
            #"{"file": "Examples/valid-request.xml", "valid": true, "request": {"conversation_id": "0647e098a4b48b05", "to_number": "1001", "operator_id": "42"}}"#
        )
        XCTAssertTrue(objects[2]["valid"] as? Bool ?? false)
        XCTAssertTrue((objects[2]["request"] as? [String: Any])?["operator_id"] is NSNull)

        let kinds = objects.map { $0["kind"] as? String }
        XCTAssertEqual(kinds, [nil, "not_valid", nil, "not_well_formed", "refused_by_policy", "wrong_root", "unreadable"])
        for object in objects where object["valid"] as? Bool == false {
            XCTAssertEqual(Set(object.keys), ["file", "valid", "kind", "issues"])
            let issues = try XCTUnwrap(object["issues"] as? [[String: Any]])
            XCTAssertFalse(issues.isEmpty)
            for issue in issues {
                XCTAssertEqual(Set(issue.keys), ["line", "column", "message"])
                XCTAssertNotNil(issue["line"] as? Int)
                XCTAssertNotNil(issue["column"] as? Int)
                XCTAssertFalse((issue["message"] as? String ?? "").isEmpty)
            }
        }
        let invalid = try XCTUnwrap(objects[1]["issues"] as? [[String: Any]])
        XCTAssertEqual(invalid.first?["line"] as? Int, 4)
        XCTAssertEqual(invalid.first?["column"] as? Int, 5)
    }

    func testValidateExitStatus() throws {
        XCTAssertEqual(try run(["validate", "Examples/valid-request.xml"]).status, 0)
        XCTAssertEqual(
            try run(["validate", "--json", "Examples/valid-request.xml", "Examples/valid-request-no-operator.xml"]).status, 0)
        XCTAssertEqual(try run(["validate", "Examples/valid-request.xml", "Examples/invalid-request.xml"]).status, 1)
        let usage = try run(["validate"])
        XCTAssertEqual(usage.status, 2)
        XCTAssertTrue(usage.stdout.isEmpty)
        XCTAssertTrue(usage.stderr.contains("Usage"), usage.stderr)
        XCTAssertEqual(try run(["validate", "--no-such-flag", "x"]).status, 2)
        XCTAssertEqual(try run(["frobnicate"]).status, 2)
        XCTAssertEqual(try run(["respond", "error"]).status, 2, "--reason is required")
        XCTAssertEqual(try run(["validate", "--max-body-bytes", "0", "Examples/valid-request.xml"]).status, 2)
    }

    func testValidateReadsStandardInput() throws {
        let body = try Data(contentsOf: Self.packageRoot.appendingPathComponent("Examples/valid-request.xml"))
        let result = try run(["validate", "--json", "-"], stdin: body)
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(try json(result.stdout.trimmingCharacters(in: .newlines))["file"] as? String, "-")
    }

    func testValidateTextOutput() throws {
        let result = try run(["validate", "Examples/valid-request.xml", "Examples/invalid-request.xml"])
        XCTAssertEqual(
            result.lines,
            [
                #"Examples/valid-request.xml: valid: conversation_id "0647e098a4b48b05", to_number "1001", operator_id "42""#,
                "Examples/invalid-request.xml: invalid (not_valid)",
                "  Examples/invalid-request.xml:4:5: <call_consult> Element 'call_consult', attribute 'mode': The attribute 'mode' is not allowed.",
                "  Examples/invalid-request.xml:4:5: <call_consult> Element 'call_consult': The attribute 'to_number' is required but missing.",
            ])
    }

    func testValidateSizeLimit() throws {
        let result = try run(["validate", "--json", "--max-body-bytes", "50", "Examples/valid-request.xml"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(try json(result.lines[0])["kind"] as? String, "too_large")
    }

    func testRespondAndRequestPrintDocuments() throws {
        XCTAssertEqual(
            try run(["respond", "ok"]).stdout,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<out><response><ok/></response></out>\n")
        XCTAssertEqual(
            try run(["respond", "error", "--reason", "cannot_perform_cmd", "--cmd", "call_consult"]).stdout,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<out><error reason=\"cannot_perform_cmd\" cmd=\"call_consult\"/></out>\n"
        )
        let request = try run(["request", "--conversation-id", "c&1", "--to-number", "<1001>"])
        XCTAssertEqual(request.status, 0)
        XCTAssertEqual(
            request.stdout,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<in><request><call_consult conversation_id=\"c&amp;1\" to_number=\"&lt;1001&gt;\"/></request></in>\n"
        )
        // What `request` prints, `validate` accepts.
        let validated = try run(["validate", "--json", "-"], stdin: Data(request.stdout.utf8))
        XCTAssertEqual(
            validated.lines,
            [#"{"file": "-", "valid": true, "request": {"conversation_id": "c&1", "to_number": "<1001>", "operator_id": null}}"#])
        let unencodable = try run(["request", "--conversation-id", "a\u{1}", "--to-number", "1"])
        XCTAssertEqual(unencodable.status, 2)
        XCTAssertTrue(unencodable.stderr.contains("U+0001"), unencodable.stderr)
    }

    func testHelpNamesTheSubcommands() throws {
        let help = try run(["--help"])
        XCTAssertEqual(help.status, 0)
        for word in ["validate", "respond", "request"] {
            XCTAssertTrue(help.stdout.contains(word), help.stdout)
        }
    }
}
