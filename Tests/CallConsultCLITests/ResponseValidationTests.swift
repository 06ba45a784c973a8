import Foundation
import XCTest

/// `callconsult validate --response`: `<out>` answers as a server sends them, reported in the
/// documented JSON shape, with every value escaped so that any JSON reader gets it back exactly.
final class ResponseValidationTests: XCTestCase {
    private func run(_ arguments: [String], stdin: Data? = nil) throws -> CommandRunner.Run {
        try CommandRunner().run(arguments, stdin: stdin)
    }

    func testExamplesAsJSON() throws {
        let files = [
            "Examples/response-ok.xml", "Examples/response-error.xml", "Examples/invalid-response.xml",
            "Examples/valid-request.xml", "Examples/no-such-file.xml",
        ]
        let result = try run(["validate", "--response", "--json"] + files)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(
            Array(result.lines.prefix(3)),
            [
                #"{"file": "Examples/response-ok.xml", "valid": true, "response": {"ok": true}}"#,
                #"{"file": "Examples/response-error.xml", "valid": true, "response": {"error": {"reason": "cannot_perform_cmd", "cmd": "call_consult", "body": "timeout"}}}"#,
                #"{"file": "Examples/invalid-response.xml", "valid": false, "kind": "not_valid", "issues": [{"line": 3, "column": 3, "message": "Element 'error': The attribute 'reason' is required but missing."}]}"#,
            ])
        let objects = try result.lines.map(CommandRunner.json)
        XCTAssertEqual(objects.map { $0["file"] as? String }, files)
        XCTAssertEqual(objects.map { $0["kind"] as? String }, [nil, nil, "not_valid", "wrong_root", "unreadable"])
        for object in objects where object["valid"] as? Bool == false {
            XCTAssertEqual(Set(object.keys), ["file", "valid", "kind", "issues"])
        }
    }

    func testExitStatusAsForRequests() throws {
        XCTAssertEqual(try run(["validate", "--response", "Examples/response-ok.xml", "Examples/response-error.xml"]).status, 0)
        XCTAssertEqual(
            try run(["validate", "--response", "Examples/response-ok.xml", "Examples/invalid-response.xml"]).status, 1)
        XCTAssertEqual(try run(["validate", "--response"]).status, 2)
        // Without --response, answers are not requests.
        XCTAssertEqual(try run(["validate", "Examples/response-error.xml"]).status, 1)
    }

    func testText() throws {
        let result = try run([
            "validate", "--response", "Examples/response-ok.xml", "Examples/response-error.xml", "Examples/invalid-response.xml",
        ])
        XCTAssertEqual(
            result.stdout,
            """
            Examples/response-ok.xml: valid: ok
            Examples/response-error.xml: valid: error, reason "cannot_perform_cmd", cmd "call_consult", body "timeout"
            Examples/invalid-response.xml: invalid (not_valid)
              Examples/invalid-response.xml:3:3: <error> Element 'error': The attribute 'reason' is required but missing.

            """)
        let bare = try run(["validate", "--response", "-"], stdin: Data(#"<out><error reason="r"/></out>"#.utf8))
        XCTAssertEqual(bare.stdout, "-: valid: error, reason \"r\", cmd (none), body (none)\n")
    }

    func testHostileValuesSurviveJSON() throws {
        // Quotes, backslashes, tab, newline, carriage return, markup, Cyrillic, an astral
        // character, U+2028 and U+007F: every one must come back exactly through a JSON reader.
        let reason = "a\"b\\c\td\ne\rf <x> & Привет 😀 \u{2028} \u{7F} /"
        let command = "\\\"\\u0041"
        let body = "'single' \"double\"\n\n"
        func attribute(_ value: String) -> String {
            var out = ""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out += "&quot;"
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case "\t", "\n", "\r", "\u{7F}", "\u{2028}": out += "&#\(scalar.value);"
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out
        }
        let document =
            #"<out><error reason="\#(attribute(reason))" cmd="\#(attribute(command))" body="\#(attribute(body))"/></out>"#
        let result = try run(["validate", "--response", "--json", "-"], stdin: Data(document.utf8))
        XCTAssertEqual(result.status, 0, result.stdout)
        XCTAssertEqual(result.lines.count, 1, result.stdout)
        let line = try XCTUnwrap(result.lines.first)
        XCTAssertFalse(line.unicodeScalars.contains { $0.value < 0x20 }, "a control character is raw: \(line)")
        XCTAssertTrue(line.contains("Привет 😀"), "non-ASCII is kept as UTF-8: \(line)")
        let error = try XCTUnwrap((CommandRunner.json(line)["response"] as? [String: Any])?["error"] as? [String: Any])
        XCTAssertEqual(error["reason"] as? String, reason)
        XCTAssertEqual(error["cmd"] as? String, command)
        XCTAssertEqual(error["body"] as? String, body)
        XCTAssertEqual(
            line,
            #"{"file": "-", "valid": true, "response": {"error": {"reason": "a\"b\\c\td\ne\rf <x> & Привет 😀 \u2028 \u007f /", "cmd": "\\\"\\u0041", "body": "'single' \"double\"\n\n"}}}"#
        )

        let text = try run(["validate", "--response", "-"], stdin: Data(document.utf8))
        XCTAssertEqual(text.lines.count, 1, "text mode keeps one line per valid input: \(text.stdout)")
    }

    func testHostileIssueMessagesAndFileNamesSurviveJSON() throws {
        // An element name with Cyrillic and a value with quotes end up in libxml2's messages.
        let document = #"<out><ошибка reason="&quot;\"/></out>"#
        let result = try run(["validate", "--response", "--json", "-", "tab\tand\"quote"], stdin: Data(document.utf8))
        XCTAssertEqual(result.lines.count, 2, result.stdout)
        let objects = try result.lines.map(CommandRunner.json)
        XCTAssertEqual(objects.map { $0["file"] as? String }, ["-", "tab\tand\"quote"])
        let message = try XCTUnwrap(((objects.first?["issues"] as? [[String: Any]])?.first)?["message"] as? String)
        XCTAssertTrue(message.contains("ошибка"), message)
    }

    func testRespondPrintsWhatValidateAccepts() throws {
        let printed = try run([
            "respond", "error", "--reason", "cannot_perform_cmd", "--cmd", "call_consult", "--body", "timeout",
        ])
        XCTAssertEqual(printed.status, 0)
        XCTAssertEqual(
            printed.stdout,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<out><error reason=\"cannot_perform_cmd\" cmd=\"call_consult\" body=\"timeout\"/></out>\n"
        )
        let validated = try run(["validate", "--response", "--json", "-"], stdin: Data(printed.stdout.utf8))
        XCTAssertEqual(
            validated.lines,
            [
                #"{"file": "-", "valid": true, "response": {"error": {"reason": "cannot_perform_cmd", "cmd": "call_consult", "body": "timeout"}}}"#
            ]
        )
        let ok = try run(["respond", "ok"])
        XCTAssertEqual(
            try run(["validate", "--response", "--json", "-"], stdin: Data(ok.stdout.utf8)).lines,
            [#"{"file": "-", "valid": true, "response": {"ok": true}}"#])
    }
}
