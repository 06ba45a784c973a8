import CallConsultKit
import XCTest

/// Every command's `<out>`: statuses, encoding with and without the schema location, decoding.
final class CommandResponseTests: XCTestCase {
    private static let errorIn200: Set<CommandName> = [.blockOperator, .unblockOperator, .auxWork, .addParticipant]

    func testErrorStatusOfEveryCommand() {
        for command in CommandName.allCases {
            let expected = Self.errorIn200.contains(command) ? 200 : 403
            XCTAssertEqual(command.errorStatus, expected, "\(command)")
            XCTAssertEqual(CommandResponse.error(ErrorReply(reason: "r")).httpStatus(for: command), expected, "\(command)")
            XCTAssertEqual(CommandResponse.ok.httpStatus(for: command), 200, "\(command)")
        }
        XCTAssertEqual(CommandResponse.error(ErrorReply(reason: "r")).httpStatus, 403, "call_consult's")
        XCTAssertEqual(CommandResponse.ok.httpStatus, 200)
        XCTAssertEqual(CommandResponse.contentType, "application/xml; charset=utf-8")
    }

    private static let replies: [CommandResponse] = [
        .ok,
        .error(ErrorReply(reason: ErrorReply.cannotPerformCommand)),
        .error(ErrorReply(reason: "cannot_perform_cmd", command: "call_hold")),
        .error(ErrorReply(reason: "r", body: "timeout")),
        .error(ErrorReply(reason: "", command: "", body: "")),
        .error(ErrorReply(reason: "a<b&\"c'", command: "x\ty", body: "\u{10000}")),
    ]

    func testEncodedAnswersDecodeForTheirCommandBothForms() throws {
        for command in CommandName.allCases where command != .monitor && command != .login {
            for reply in Self.replies {
                for declaring in [false, true] {
                    let body = try codec.encode(reply, command: command, declaringSchemaLocation: declaring)
                    let text = String(decoding: body, as: UTF8.self)
                    XCTAssertEqual(try decodeResponse(body, command: command).get(), reply, "\(command): \(text)")
                    let location = "xs:noNamespaceSchemaLocation=\"\(command.rawValue).xsd\""
                    XCTAssertEqual(text.contains(location), declaring, text)
                    if declaring {
                        XCTAssertTrue(
                            text.contains(
                                "<out xmlns:xs=\"http://www.w3.org/2001/XMLSchema-instance\" \(location)>"), text)
                    }
                }
            }
        }
    }

    func testCallConsultEncodingIsTheSameThroughEveryEntryPoint() throws {
        for reply in Self.replies {
            for declaring in [false, true] {
                XCTAssertEqual(
                    try codec.encode(reply, command: .callConsult, declaringSchemaLocation: declaring),
                    try codec.encode(reply, declaringSchemaLocation: declaring))
            }
        }
    }

    func testLoginAnswersOkOnlyAndMonitorHasNoAnswer() throws {
        let ok = try codec.encode(CommandResponse.ok, command: .login, declaringSchemaLocation: true)
        XCTAssertEqual(try decodeResponse(ok, command: .login).get(), .ok)
        XCTAssertEqual(try codec.decodeLoginResponse(ok), .ok)
        XCTAssertTrue(String(decoding: ok, as: UTF8.self).contains("\"login.xsd\""))
        // Written all the same, but not valid against login.xsd.
        let error = try codec.encode(CommandResponse.error(ErrorReply(reason: "r")), command: .login)
        assertRefused(decodeResponse(error, command: .login), .notValid, "login error answer")
        // monitor.xsd declares no <out>: whatever the answer, it is refused.
        for reply in Self.replies {
            for declaring in [false, true] {
                let body = try codec.encode(reply, command: .monitor, declaringSchemaLocation: declaring)
                assertRefused(decodeResponse(body, command: .monitor), .notValid, "monitor \(reply)")
            }
        }
        for xml in ["<out/>", "<monitor/>", "<in/>", "<event name=\"x\"/>"] {
            guard case .failure(let refusal) = decodeResponse(Body.utf8(xml), command: .monitor) else {
                XCTFail("monitor accepted \(xml) as an answer")
                continue
            }
            XCTAssertTrue([.notValid, .wrongRoot].contains(refusal.kind), "\(xml): \(refusal)")
        }
    }

    func testDecodedErrorValues() throws {
        let body = Body.utf8(
            "<out>\n  <error reason=\"cannot_perform_cmd\"\n         cmd=\"auxwork\"\n         body=\"a &amp; b\"\n         extra=\"skipped\"/>\n</out>\n"
        )
        XCTAssertEqual(
            try decodeResponse(body, command: .auxWork).get(),
            .error(ErrorReply(reason: "cannot_perform_cmd", command: "auxwork", body: "a & b")))
        let refused = [
            ("<out><error cmd=\"x\"/></out>", "no reason"),
            ("<out/>", "empty out"),
            ("<out><response/></out>", "response without ok"),
            ("<out><response><ok/></response><error reason=\"r\"/></out>", "both"),
            ("<out><error reason=\"r\"/><error reason=\"s\"/></out>", "two errors"),
            ("<out><response><ok/><ok/></response></out>", "two oks"),
            ("<out><error reason=\"r\"><x/></error></out>", "child of error"),
        ]
        for command in CommandName.allCases where command != .monitor {
            for (xml, label) in refused {
                assertRefused(decodeResponse(Body.utf8(xml), command: command), .notValid, "\(command): \(label)")
            }
        }
    }

    func testErrorReplyCodableUsesWireNames() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let reply = ErrorReply(reason: "r", command: "call_hold", body: "b")
        XCTAssertEqual(
            String(decoding: try encoder.encode(reply), as: UTF8.self), #"{"body":"b","cmd":"call_hold","reason":"r"}"#)
        XCTAssertEqual(try JSONDecoder().decode(ErrorReply.self, from: Data(#"{"reason":"r"}"#.utf8)), ErrorReply(reason: "r"))
        XCTAssertThrowsError(try JSONDecoder().decode(ErrorReply.self, from: Data(#"{"cmd":"x"}"#.utf8)))
    }
}
