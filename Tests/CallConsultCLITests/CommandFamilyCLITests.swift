import Foundation
import XCTest

/// `--command NAME` in validate, request and respond, and every command in serve: the JSON lines
/// are a contract other tools test against.
final class CommandFamilyCLITests: XCTestCase {
    private func run(_ arguments: [String], stdin: String? = nil) throws -> CommandRunner.Run {
        try CommandRunner().run(arguments, stdin: stdin.map { Data($0.utf8) })
    }

    /// A valid request of each command, and the `request` object `validate --json` prints for it.
    static let cases: [(command: String, xml: String, request: String)] = [
        (
            "login", #"<in><request client_id="crm" api_key="SECRET" phone_number="1001"/></in>"#,
            #"{"client_id": "crm", "api_key": "***", "phone_number": "1001"}"#
        ),
        (
            "call_consult", #"<in><request><call_consult conversation_id="c-1" to_number="1001"/></request></in>"#,
            #"{"conversation_id": "c-1", "to_number": "1001", "operator_id": null}"#
        ),
        (
            "call_hold", #"<in><request><call_hold conversation_id="c-1"/></request></in>"#,
            #"{"conversation_id": "c-1", "operator_id": null}"#
        ),
        (
            "call_unhold", #"<in><request><call_unhold operator_id="7" conversation_id="c-1"/></request></in>"#,
            #"{"conversation_id": "c-1", "operator_id": "7"}"#
        ),
        (
            "call_unattended_transfer",
            #"<in><request><call_unattended_transfer original_conversation_id="c-1" to_number="1002" destination_conversation_id="c-2"/></request></in>"#,
            #"{"original_conversation_id": "c-1", "to_number": "1002", "destination_conversation_id": "c-2", "operator_id": null, "workitem_id": null}"#
        ),
        ("block_operator", #"<in><request agent_id="102"/></in>"#, #"{"agent_id": "102"}"#),
        ("unblock_operator", #"<in><request agent_id="102"/></in>"#, #"{"agent_id": "102"}"#),
        ("auxwork", #"<in><request><auxwork reason="lunch"/></request></in>"#, #"{"reason": "lunch"}"#),
        ("add_participant", #"<in><request><add_to_conference/></request></in>"#, #"{"participants": null}"#),
        (
            "add_participant",
            #"<in><request><add_to_conference><participants conference_id="k"><participant number="1"/><participant conversation_id="c"/></participants></add_to_conference></request></in>"#,
            #"{"participants": {"conference_id": "k", "participant": [{"number": "1", "conversation_id": null}, {"number": null, "conversation_id": "c"}]}}"#
        ),
        (
            "remove_participant", #"<in><request><remove_participant conference_id="k" participant_id="p"/></request></in>"#,
            #"{"conference_id": "k", "participant_id": "p"}"#
        ),
        ("monitor", #"<monitor/>"#, #"{"start": null, "stop": null}"#),
        (
            "monitor", #"<monitor><stop/><start><event name="a" entity="e"/><event name="b" timestamp="t"/></start></monitor>"#,
            #"{"start": [{"name": "a", "entity": "e", "timestamp": null}, {"name": "b", "entity": null, "timestamp": "t"}], "stop": []}"#
        ),
    ]

    func testValidateJSONPrintsEveryCommandsRequest() throws {
        for testCase in Self.cases {
            let result = try run(["validate", "--json", "--command", testCase.command, "-"], stdin: testCase.xml)
            XCTAssertEqual(result.status, 0, "\(testCase.command): \(result.stdout) \(result.stderr)")
            XCTAssertEqual(
                result.lines,
                [#"{"file": "-", "valid": true, "command": "\#(testCase.command)", "request": \#(testCase.request)}"#])
            XCTAssertFalse(result.stdout.contains("SECRET"))
            XCTAssertNoThrow(try CommandRunner.json(result.lines.first ?? ""))
        }
    }

    func testAnotherCommandsBodyIsNotValidAndPrintsAsToday() throws {
        let result = try run(["validate", "--json", "--command", "call_hold", "Examples/valid-request.xml"])
        XCTAssertEqual(result.status, 1)
        let object = try CommandRunner.json(result.lines.first ?? "")
        XCTAssertEqual(Set(object.keys), ["file", "valid", "kind", "issues"])
        XCTAssertEqual(object["kind"] as? String, "not_valid")
        let text = try run(["validate", "--command", "block_operator", "-"], stdin: #"<in><request agent_id="1"/></in>"#)
        XCTAssertEqual(text.lines, [#"-: valid: block_operator agent_id "1""#])
    }

    func testResponsesOfEveryCommandButMonitor() throws {
        let error = #"<out><error reason="cannot_perform_cmd" cmd="block_operator"/></out>"#
        let result = try run(["validate", "--json", "--response", "--command", "block_operator", "-"], stdin: error)
        XCTAssertEqual(
            result.lines,
            [
                #"{"file": "-", "valid": true, "response": {"error": {"reason": "cannot_perform_cmd", "cmd": "block_operator", "body": null}}}"#
            ])
        let login = try run(["validate", "--response", "--command", "login", "-"], stdin: error)
        XCTAssertEqual(login.status, 1, "login's <out> has no error")
        let monitor = try run(["validate", "--response", "--command", "monitor", "-"], stdin: "<out/>")
        XCTAssertEqual(monitor.status, 2)
        XCTAssertTrue(monitor.stderr.contains("monitor has no <out>"), monitor.stderr)
        let unknown = try run(["validate", "--command", "call_pickup", "-"], stdin: "<in/>")
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("unknown command \"call_pickup\""), unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("call_unattended_transfer"), unknown.stderr)
    }

    func testRequestPrintsWhatValidateReadsBack() throws {
        let made: [(arguments: [String], command: String, request: String)] = [
            (["--attribute", "conversation_id=c-1"], "call_hold", #"{"conversation_id": "c-1", "operator_id": null}"#),
            (["--attribute", "agent_id=<7&>"], "unblock_operator", #"{"agent_id": "<7&>"}"#),
            (
                [
                    "--fields",
                    #"{"participants": {"conference_id": "k", "participant": [{"number": "1", "conversation_id": null}]}}"#,
                ],
                "add_participant",
                #"{"participants": {"conference_id": "k", "participant": [{"number": "1", "conversation_id": null}]}}"#
            ),
            (
                ["--fields", #"{"start": [{"name": "a"}]}"#], "monitor",
                #"{"start": [{"name": "a", "entity": null, "timestamp": null}], "stop": null}"#
            ),
            (
                ["--conversation-id", "c", "--to-number", "1"], "call_consult",
                #"{"conversation_id": "c", "to_number": "1", "operator_id": null}"#
            ),
        ]
        for item in made {
            let printed = try run(["request", "--command", item.command] + item.arguments)
            XCTAssertEqual(printed.status, 0, "\(item.command): \(printed.stderr)")
            let read = try run(["validate", "--json", "--command", item.command, "-"], stdin: printed.stdout)
            XCTAssertEqual(
                read.lines, [#"{"file": "-", "valid": true, "command": "\#(item.command)", "request": \#(item.request)}"#])
        }
        for bad in [
            ["request", "--command", "call_hold"],  // conversation_id is required
            ["request", "--command", "call_hold", "--attribute", "conversation_id=c", "--attribute", "mode=x"],
            ["request", "--command", "call_hold", "--attribute", "conversation_id"],
            ["request", "--command", "call_hold", "--conversation-id", "c"],
            ["request", "--command", "monitor", "--fields", #"{"start": [{"entity": "e"}]}"#],
            ["request", "--command", "add_participant", "--fields", #"{"participants": {"conference_id": 7}}"#],
        ] {
            let result = try run(bad)
            XCTAssertEqual(result.status, 2, "\(bad): \(result.stdout)")
            XCTAssertTrue(result.stdout.isEmpty)
        }
    }

    func testRespondNamesTheCommandsSchemaAndRefusesWhatItCannotHave() throws {
        let ok = try run(["respond", "ok", "--command", "call_hold", "--declare-schema"])
        XCTAssertEqual(ok.status, 0)
        XCTAssertTrue(ok.stdout.contains(#"xs:noNamespaceSchemaLocation="call_hold.xsd""#), ok.stdout)
        let check = try run(["validate", "--response", "--command", "call_hold", "-"], stdin: ok.stdout)
        XCTAssertEqual(check.status, 0, check.stdout)
        let error = try run(["respond", "error", "--command", "auxwork", "--reason", "cannot_perform_cmd"])
        XCTAssertEqual(error.status, 0)
        XCTAssertTrue(error.stdout.contains(#"<error reason="cannot_perform_cmd"/>"#), error.stdout)
        XCTAssertEqual(try run(["respond", "ok", "--command", "monitor"]).status, 2)
        XCTAssertEqual(try run(["respond", "error", "--command", "login", "--reason", "x"]).status, 2)
        XCTAssertEqual(try run(["respond", "ok", "--command", "login"]).status, 0)
    }

    func testServeAnswersEveryCommandAndRefusesAValueInAnyAttribute() async throws {
        let environment = ["ECSS_CLIENT_ID": "crm-1", "ECSS_API_KEY": "s3cret-api-key", "ECSS_PHONE_NUMBER": "1001"]
        let serve = try ServeProcess(["--port", "0", "--json", "--refuse", "102", "--refuse", "c-9"], environment: environment)
        let login = try await serve.post(
            "login", #"<in><request client_id="crm-1" api_key="s3cret-api-key" phone_number="1001"/></in>"#)
        let cookie = try XCTUnwrap(login.cookie)
        let hold = try await serve.post(
            "call_hold", #"<in><request><call_hold conversation_id="c-1"/></request></in>"#, cookie: cookie)
        XCTAssertEqual(hold.status, 200)
        XCTAssertTrue(hold.body.contains(#"xs:noNamespaceSchemaLocation="call_hold.xsd""#), hold.body)
        let block = try await serve.post("block_operator", #"<in><request agent_id="102"/></in>"#, cookie: cookie)
        XCTAssertEqual(block.status, 200, "block_operator's errors come with 200")
        XCTAssertTrue(block.body.contains(#"<error reason="cannot_perform_cmd" cmd="block_operator"/>"#), block.body)
        let nested = try await serve.post(
            "add_participant",
            #"<in><request><add_to_conference><participants conference_id="k"><participant conversation_id="c-9"/></participants></add_to_conference></request></in>"#,
            cookie: cookie)
        XCTAssertEqual(nested.status, 200)
        XCTAssertTrue(nested.body.contains(#"cmd="add_participant""#), nested.body)
        let unhold = try await serve.post(
            "call_unhold", #"<in><request><call_unhold conversation_id="c-9"/></request></in>"#, cookie: cookie)
        XCTAssertEqual(unhold.status, 403)
        let monitor = try await serve.post("monitor", #"<monitor><start><event name="x"/></start></monitor>"#, cookie: cookie)
        XCTAssertEqual(monitor.status, 200)
        let stopped = serve.stop()
        XCTAssertEqual(stopped.status, 0, stopped.stderr)
        let logged = try stopped.lines.dropFirst().map(CommandRunner.json)
        XCTAssertEqual(
            logged.map { $0["command"] as? String },
            ["login", "call_hold", "block_operator", "add_participant", "call_unhold", "monitor"])
        XCTAssertEqual(logged.map { $0["outcome"] as? String }, ["logged_in", "ok", "error", "error", "error", "ok"])
        XCTAssertEqual(logged[2]["agent_id"] as? String, "102")
        XCTAssertEqual((logged[3]["participants"] as? [String: Any])?["conference_id"] as? String, "k")
        XCTAssertFalse(stopped.lines.joined().contains("s3cret"))
    }
}
