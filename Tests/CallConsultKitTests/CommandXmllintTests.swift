import CallConsultKit
import Foundation
import TestSupport
import XCTest

/// Every command's requests and answers, valid and invalid, get the verdict xmllint gives them
/// against the same schema, and invalid ones the same issues: line, element and message.
final class CommandXmllintTests: XCTestCase {
    /// A document and how the library decodes it.
    struct Case: Sendable {
        enum Message: Sendable {
            case request(CommandName)
            case response(CommandName)
            case conferencesEvent
            case conferenceParticipantsEvent
        }

        var label: String
        var xml: String
        var message: Message

        var schema: String {
            switch message {
            case .request(let command), .response(let command): command.schemaFileName
            case .conferencesEvent: "conferences_event.xsd"
            case .conferenceParticipantsEvent: "conference_participants_event.xsd"
            }
        }

        func decode() -> DocumentError? {
            let body = Array(xml.utf8)
            do {
                switch message {
                case .request(let command): _ = try codec.decodeRequest(body, command: command)
                case .response(let command): _ = try codec.decodeResponse(body, command: command)
                case .conferencesEvent: _ = try codec.decodeConferencesEvent(body)
                case .conferenceParticipantsEvent: _ = try codec.decodeConferenceParticipantsEvent(body)
                }
                return nil
            } catch {
                return error
            }
        }
    }

    /// Compares every case with xmllint; returns how many were invalid.
    @discardableResult
    static func compare(_ cases: [Case], file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let xmllint = try Xmllint.url()
        var invalid = 0
        for testCase in cases {
            let ours = testCase.decode()
            let theirs = try Xmllint.run(xmllint, on: testCase.xml, schema: testCase.schema)
            let label = "\(testCase.label) [\(testCase.schema)]"
            XCTAssertEqual(
                ours == nil, theirs.valid, "\(label): ours \(ours.map { "\($0)" } ?? "valid"), xmllint \(theirs.output)",
                file: file, line: line)
            guard let ours else { continue }
            invalid += 1
            XCTAssertEqual(ours.kind, .notValid, "\(label): \(ours)", file: file, line: line)
            XCTAssertEqual(
                ours.issues.first?.line, theirs.issues.first.flatMap { Int($0.prefix { $0 != ":" }) }, label, file: file,
                line: line)
            XCTAssertEqual(ours.xmllintForm, theirs.issues, label, file: file, line: line)
            for issue in ours.issues {
                XCTAssertGreaterThan(issue.line, 0, "\(label): \(issue)", file: file, line: line)
                XCTAssertEqual(issue.domain, .schema, "\(label): \(issue)", file: file, line: line)
            }
        }
        return invalid
    }

    /// Invalid requests written for one command each.
    static let invalidRequests: [CommandName: [(String, String)]] = [
        .login: [
            ("no api_key", "<in>\n  <request client_id=\"c\"\n           phone_number=\"1\"/>\n</in>\n"),
            (
                "an unknown attribute",
                "<in>\n  <request client_id=\"c\" api_key=\"k\"\n     phone_number=\"1\"\n     agent_id=\"a\"/>\n</in>\n"
            ),
        ],
        .callConsult: [
            ("no to_number", "<in>\n  <request>\n    <call_consult\n      conversation_id=\"c\"/>\n  </request>\n</in>\n"),
            (
                "mode",
                "<in>\n <request>\n  <call_consult conversation_id=\"c\"\n     to_number=\"1\"\n     mode=\"consult\"/>\n </request>\n</in>\n"
            ),
        ],
        .callHold: [
            ("no conversation_id", "<in>\n  <request>\n    <call_hold\n       operator_id=\"o\"/>\n  </request>\n</in>\n"),
            (
                "to_number",
                "<in>\n  <request>\n    <call_hold conversation_id=\"c\"\n       to_number=\"1\"/>\n  </request>\n</in>\n"
            ),
        ],
        .callUnhold: [
            ("no conversation_id", "<in>\n  <request>\n\n    <call_unhold/>\n  </request>\n</in>\n"),
            ("call_hold inside", "<in>\n  <request>\n    <call_hold conversation_id=\"c\"/>\n  </request>\n</in>\n"),
        ],
        .callUnattendedTransfer: [
            (
                "no destination_conversation_id",
                "<in>\n  <request>\n    <call_unattended_transfer original_conversation_id=\"o\"\n       to_number=\"1\"/>\n  </request>\n</in>\n"
            ),
            (
                "no to_number, no original",
                "<in>\n  <request>\n    <call_unattended_transfer\n       destination_conversation_id=\"d\"/>\n  </request>\n</in>\n"
            ),
        ],
        .blockOperator: [
            ("no agent_id", "<in>\n  <request>\n  </request>\n</in>\n"),
            ("agent_id on a child", "<in>\n  <request>\n    <block_operator agent_id=\"a\"/>\n  </request>\n</in>\n"),
        ],
        .unblockOperator: [
            ("no agent_id", "<in>\n\n  <request/>\n</in>\n"),
            ("an unknown attribute", "<in>\n  <request agent_id=\"a\"\n           reason=\"r\"/>\n</in>\n"),
        ],
        .auxWork: [
            ("no reason", "<in>\n  <request>\n    <auxwork/>\n  </request>\n</in>\n"),
            ("two auxwork", "<in>\n  <request>\n    <auxwork reason=\"a\"/>\n    <auxwork reason=\"b\"/>\n  </request>\n</in>\n"),
        ],
        .addParticipant: [
            (
                "the vendor's websocket example",
                "<in>\n  <request>\n    <add_participant conference_id=\"0647e098a4b48b05\"/>\n  </request>\n</in>\n"
            ),
            (
                "participants without conference_id",
                "<in>\n  <request>\n    <add_to_conference>\n      <participants>\n        <participant number=\"1\"/>\n      </participants>\n    </add_to_conference>\n  </request>\n</in>\n"
            ),
            (
                "participant with an id",
                "<in>\n  <request>\n    <add_to_conference>\n      <participants conference_id=\"k\">\n        <participant number=\"1\"/>\n        <participant id=\"2\"/>\n      </participants>\n    </add_to_conference>\n  </request>\n</in>\n"
            ),
            (
                "participant outside participants",
                "<in>\n  <request>\n    <add_to_conference>\n      <participant number=\"1\"/>\n    </add_to_conference>\n  </request>\n</in>\n"
            ),
        ],
        .removeParticipant: [
            (
                "no participant_id",
                "<in>\n  <request>\n    <remove_participant\n        conference_id=\"k\"/>\n  </request>\n</in>\n"
            )
        ],
        .monitor: [
            ("event without name", "<monitor>\n  <start>\n    <event entity=\"e\"/>\n  </start>\n</monitor>\n"),
            ("two starts", "<monitor>\n  <start/>\n  <stop/>\n  <start/>\n</monitor>\n"),
            ("event at the top", "<monitor>\n  <event name=\"a\"/>\n</monitor>\n"),
            (
                "an unknown attribute",
                "<monitor>\n  <stop>\n    <event name=\"a\"\n           id=\"1\"/>\n  </stop>\n</monitor>\n"
            ),
            ("text", "<monitor>\n  <start/>\n  text\n</monitor>\n"),
        ],
    ]

    /// Cases made from any command's valid sample: an unexpected element, text, an empty root.
    static func derivedRequests(_ sample: CommandSample) -> [Case] {
        let close = "</\(sample.root)>\n"
        let body = sample.fullXML.hasSuffix(close) ? String(sample.fullXML.dropLast(close.count)) : sample.fullXML
        return [
            Case(label: "\(sample.command) full", xml: sample.fullXML, message: .request(sample.command)),
            Case(label: "\(sample.command) minimal", xml: sample.minimalXML, message: .request(sample.command)),
            Case(label: "\(sample.command) extra element", xml: body + "  <extra/>\n" + close, message: .request(sample.command)),
            Case(label: "\(sample.command) text", xml: body + "  text\n" + close, message: .request(sample.command)),
            Case(label: "\(sample.command) empty root", xml: "<\(sample.root)>\n\n" + close, message: .request(sample.command)),
            Case(
                label: "\(sample.command) schema location",
                xml: sample.fullXML.replacingOccurrences(
                    of: "<\(sample.root)>",
                    with:
                        "<\(sample.root) xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n    xsi:noNamespaceSchemaLocation=\"\(sample.command.schemaFileName)\">"
                ),
                message: .request(sample.command)),
        ]
    }

    func testRequestsOfEveryCommandAgreeWithXmllint() throws {
        var cases: [Case] = []
        for sample in CommandSample.all {
            cases += Self.derivedRequests(sample)
            for (label, xml) in Self.invalidRequests[sample.command] ?? [] {
                cases.append(Case(label: "\(sample.command) \(label)", xml: xml, message: .request(sample.command)))
            }
            XCTAssertFalse((Self.invalidRequests[sample.command] ?? []).isEmpty, "\(sample.command) has no invalid case")
        }
        let invalid = try Self.compare(cases)
        XCTAssertGreaterThanOrEqual(invalid, 40, "too few invalid cases were compared")
    }

    /// The answers every command is given.
    static let answers: [(String, String)] = [
        ("ok", "<out>\n  <response>\n    <ok/>\n  </response>\n</out>\n"),
        (
            "ok with schema location",
            "<out xmlns:xs=\"http://www.w3.org/2001/XMLSchema-instance\"\n     xs:noNamespaceSchemaLocation=\"x.xsd\">\n  <response><ok/></response>\n</out>\n"
        ),
        (
            "error",
            "<out>\n  <error reason=\"cannot_perform_cmd\"\n         cmd=\"call_hold\"\n         body=\"timeout\"/>\n</out>\n"
        ),
        ("error with another attribute", "<out>\n  <error reason=\"r\"\n         code=\"17\"/>\n</out>\n"),
        ("error without reason", "<out>\n  <error cmd=\"call_hold\"\n         body=\"timeout\"/>\n</out>\n"),
        ("ok and error", "<out>\n  <response><ok/></response>\n  <error reason=\"r\"/>\n</out>\n"),
        ("empty out", "<out>\n\n</out>\n"),
        ("response without ok", "<out>\n  <response>\n  </response>\n</out>\n"),
        ("error with a child", "<out>\n  <error reason=\"r\">\n    <detail/>\n  </error>\n</out>\n"),
    ]

    func testAnswersToEveryCommandAgreeWithXmllint() throws {
        var cases: [Case] = []
        for command in CommandName.allCases {
            for (label, xml) in Self.answers {
                cases.append(Case(label: "\(command) \(label)", xml: xml, message: .response(command)))
            }
        }
        let invalid = try Self.compare(cases)
        // Five invalid answers to each of nine commands, seven to login (errors too), all nine to monitor.
        XCTAssertEqual(invalid, 5 * 9 + 7 + 9)
    }

    func testMonitorHasNoAnswerForXmllintEither() throws {
        let xmllint = try Xmllint.url()
        let (valid, issues, _) = try Xmllint.run(xmllint, on: Self.answers[0].1, schema: "monitor.xsd")
        XCTAssertFalse(valid)
        guard case .failure(let ours) = decodeResponse(Body.utf8(Self.answers[0].1), command: .monitor) else {
            return XCTFail("monitor decoded an answer")
        }
        XCTAssertEqual(ours.xmllintForm, issues)
        XCTAssertTrue(ours.issues.first?.message.contains("No matching global declaration") ?? false, "\(ours)")
    }
}
