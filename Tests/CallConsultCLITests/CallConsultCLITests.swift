import Foundation
import XCTest

/// The `callconsult` executable's output and exit status: a contract other tools test against.
final class CallConsultCLITests: XCTestCase {
    private func run(_ arguments: [String], stdin: Data? = nil) throws -> CommandRunner.Run {
        try CommandRunner().run(arguments, stdin: stdin)
    }

    private func json(_ line: String) throws -> [String: Any] {
        try CommandRunner.json(line)
    }

    func testValidateJSONOneObjectPerInputInOrder() throws {
        let files = [
            "Examples/valid-request.xml", "Examples/invalid-request.xml", "Examples/valid-request-no-operator.xml",
            "Examples/not-well-formed-request.xml", "Examples/doctype-request.xml", "Examples/response-ok.xml",
            "Examples/no-such-file.xml",
        ]
        let result = try run(["validate", "--json"] + files)
        XCTAssertEqual(result.status, 1)
        let objects = try result.lines.map(json)
        guard objects.count == files.count else { return XCTFail("one object per input: \(result.stdout)") }
        XCTAssertEqual(objects.map { $0["file"] as? String }, files)

        XCTAssertEqual(
            result.lines[0],
            #"{"file": "Examples/valid-request.xml", "valid": true, "command": "call_consult", "request": {"conversation_id": "0647e098a4b48b05", "to_number": "1001", "operator_id": "42"}}"#
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
        let body = try Data(contentsOf: CommandRunner.packageRoot.appendingPathComponent("Examples/valid-request.xml"))
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
        XCTAssertEqual(try json(result.lines.first ?? "")["kind"] as? String, "too_large")
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
            [
                #"{"file": "-", "valid": true, "command": "call_consult", "request": {"conversation_id": "c&1", "to_number": "<1001>", "operator_id": null}}"#
            ])
        let unencodable = try run(["request", "--conversation-id", "a\u{1}", "--to-number", "1"])
        XCTAssertEqual(unencodable.status, 2)
        XCTAssertTrue(unencodable.stderr.contains("U+0001"), unencodable.stderr)
    }

    /// libxml2 2.15 stopped naming the element of this issue (issue 12): the text output pins the
    /// element as well as the line and column, so a libxml2 that loses either is caught.
    func testNotWellFormedTextNamesTheElementAndPlace() throws {
        let result = try run(["validate", "Examples/not-well-formed-request.xml"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(
            result.stdout,
            """
            Examples/not-well-formed-request.xml: invalid (not_well_formed)
              Examples/not-well-formed-request.xml:5:13: <call_consult> Opening and ending tag mismatch: call_consult line 4 and request

            """)
    }

    func testHelpNamesTheSubcommands() throws {
        let help = try run(["--help"])
        XCTAssertEqual(help.status, 0)
        for word in ["validate", "respond", "request"] {
            XCTAssertTrue(help.stdout.contains(word), help.stdout)
        }
    }

    /// The root command is asynchronous; help and usage behave as they did when it was not.
    func testHelpAndUsageOfTheRoot() throws {
        for arguments in [[], ["--help"], ["help"], ["-h"]] {
            let help = try run(arguments)
            XCTAssertEqual(help.status, 0, "\(arguments)")
            XCTAssertTrue(help.stdout.contains("USAGE: callconsult <subcommand>"), help.stdout)
            let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            XCTAssertTrue(words.contains("2 on a usage error, 74 when standard output cannot be written"), help.stdout)
            XCTAssertEqual(help.stderr, "")
        }
        let subcommandHelp = try run(["help", "validate"])
        XCTAssertEqual(subcommandHelp.status, 0)
        XCTAssertTrue(subcommandHelp.stdout.contains("--response"), subcommandHelp.stdout)
        XCTAssertEqual(try run(["validate", "--help"]).stdout, subcommandHelp.stdout)
        let usage = try run(["respond"])
        XCTAssertEqual(usage.status, 0, "a command group without a subcommand prints its help")
        XCTAssertTrue(usage.stdout.contains("USAGE: callconsult respond <subcommand>"), usage.stdout)
        let unknown = try run(["validate", "--json"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertEqual(unknown.stdout, "")
        XCTAssertTrue(unknown.stderr.hasPrefix("Error: "), unknown.stderr)
    }
}
