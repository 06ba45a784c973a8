import CallConsultKit
import XCTest

/// The websocket JSON form of every command's messages: XML → JSON → XML without loss, each
/// validated against the command's own schema.
final class CommandJSONFormTests: XCTestCase {
    private func xml(fromJSONForm json: String, as kind: MessageKind, command: CommandName) -> Result<[UInt8], any Error> {
        Result { try codec.xml(fromJSONForm: json, as: kind, command: command) }
    }

    func testEveryRequestRoundTripsThroughItsJSONForm() throws {
        for sample in CommandSample.all {
            for (xml, expected) in [(sample.fullXML, sample.full), (sample.minimalXML, sample.minimal)] {
                let json = try codec.jsonForm(ofXML: Body.utf8(xml), as: .request, command: sample.command)
                XCTAssertTrue(json.hasPrefix("[{\"_name\": \"\(sample.root)\""), json)
                let back = try codec.xml(fromJSONForm: json, as: .request, command: sample.command)
                XCTAssertEqual(try decodeRequest(back, command: sample.command).get(), expected, json)
                XCTAssertEqual(try codec.jsonForm(ofXML: back, as: .request, command: sample.command), json)
                XCTAssertEqual(
                    try codec.decodeElement(back, as: .request, command: sample.command),
                    try codec.decodeElement(Body.utf8(xml), as: .request, command: sample.command))
                // The encoder's document (its attributes in the model's order) survives its form too.
                let encoded = try codec.encode(expected)
                let encodedJSON = try codec.jsonForm(ofXML: encoded, as: .request, command: sample.command)
                let again = try codec.xml(fromJSONForm: encodedJSON, as: .request, command: sample.command)
                XCTAssertEqual(try decodeRequest(again, command: sample.command).get(), expected, encodedJSON)
            }
        }
    }

    func testEveryAnswerRoundTripsThroughItsJSONForm() throws {
        let replies: [CommandResponse] = [.ok, .error(ErrorReply(reason: "cannot_perform_cmd", command: "x", body: "b & c"))]
        for command in CommandName.allCases where command.hasResponseDocument {
            for reply in command == .login ? [.ok] : replies {
                for declaring in [false, true] {
                    let body = try codec.encode(reply, command: command, declaringSchemaLocation: declaring)
                    let json = try codec.jsonForm(ofXML: body, as: .response, command: command)
                    XCTAssertEqual(
                        json.contains("\"xs:noNamespaceSchemaLocation\": \"\(command.schemaFileName)\""), declaring, json)
                    let back = try codec.xml(fromJSONForm: json, as: .response, command: command)
                    XCTAssertEqual(try decodeResponse(back, command: command).get(), reply, json)
                }
            }
        }
    }

    func testVendorCallHoldExampleIsACallHoldMessageOnly() throws {
        let xml = try codec.xml(fromJSONForm: JSONFormTests.vendorRequest, as: .request, command: .callHold)
        XCTAssertEqual(
            try codec.decode(CallHoldRequest.self, from: xml), CallHoldRequest(conversationID: "0647e098a4b48b05"))
        XCTAssertEqual(
            try codec.jsonForm(ofXML: Body.utf8(CommandSample.of(.callHold).minimalXML), as: .request, command: .callHold),
            JSONFormTests.vendorRequest)
        for command in CommandName.allCases where command != .callHold {
            guard case .failure(let error) = self.xml(fromJSONForm: JSONFormTests.vendorRequest, as: .request, command: command)
            else {
                XCTFail("a call_hold JSON form was accepted as a \(command) message")
                continue
            }
            let kind = (error as? DocumentError)?.kind
            XCTAssertEqual(kind, command == .monitor ? DocumentError.Kind.wrongRoot : .notValid, "\(command): \(error)")
        }
        // Through the call_consult entry point without a command, too.
        XCTAssertThrowsError(try codec.xml(fromJSONForm: JSONFormTests.vendorRequest, as: .request)) {
            XCTAssertEqual(($0 as? DocumentError)?.kind, .notValid)
        }
    }

    func testVendorUnblockOperatorAnswerIsAnOkToEveryCommandButMonitor() throws {
        for command in CommandName.allCases {
            let outcome = xml(fromJSONForm: JSONFormTests.vendorResponse, as: .response, command: command)
            if command == .monitor {
                XCTAssertEqual(((try? outcome.get()) == nil), true, "monitor has no <out>")
            } else {
                XCTAssertEqual(try decodeResponse(outcome.get(), command: command).get(), .ok, "\(command)")
            }
        }
    }

    func testJSONFormsOfEachCommandAreRefusedAsEveryOtherCommand() throws {
        let shared: Set<CommandName> = [.blockOperator, .unblockOperator]
        for sample in CommandSample.all {
            let json = try codec.jsonForm(ofXML: Body.utf8(sample.fullXML), as: .request, command: sample.command)
            XCTAssertThrowsError(try codec.xml(fromJSONForm: json, as: .response, command: sample.command)) {
                XCTAssertEqual(($0 as? DocumentError)?.kind, .wrongRoot, "\(sample.command) request as a response")
            }
            for other in CommandName.allCases where other != sample.command {
                if shared.contains(other), shared.contains(sample.command) { continue }
                XCTAssertThrowsError(
                    try codec.xml(fromJSONForm: json, as: .request, command: other), "\(sample.command) as \(other)"
                ) {
                    XCTAssertNotNil($0 as? DocumentError, "\($0)")
                }
            }
        }
    }

    func testAMonitorIsARequestOnly() throws {
        let json =
            #"[{"_name": "monitor", "_content": [{"_name": "start", "_content": [{"_name": "event", "_attributes": {"name": "calls"}}]}]}]"#
        let xml = try codec.xml(fromJSONForm: json, as: .request, command: .monitor)
        XCTAssertEqual(try codec.decode(MonitorRequest.self, from: xml), MonitorRequest(start: [.init(name: "calls")]))
        XCTAssertThrowsError(try codec.jsonForm(ofXML: xml, as: .response, command: .monitor)) {
            XCTAssertEqual(($0 as? DocumentError)?.kind, .wrongRoot, "\($0)")
        }
        let out = #"[{"_name": "out", "_content": [{"_name": "response", "_content": [{"_name": "ok"}]}]}]"#
        XCTAssertThrowsError(try codec.xml(fromJSONForm: out, as: .response, command: .monitor)) {
            XCTAssertEqual(($0 as? DocumentError)?.kind, .notValid, "\($0)")
        }
    }

    func testJSONFormErrorsComeBeforeValidation() {
        XCTAssertThrowsError(try codec.xml(fromJSONForm: "[", as: .request, command: .auxWork)) {
            XCTAssertNotNil($0 as? JSONFormError, "\($0)")
        }
        XCTAssertThrowsError(
            try codec.xml(
                fromJSONForm: #"[{"_name": "in", "_content": [{"_name": "request", "_attributes": {"agent_id": "\u0001"}}]}]"#,
                as: .request, command: .blockOperator)
        ) {
            XCTAssertNotNil($0 as? EncodingError, "\($0)")
        }
        let limited = CallConsultCodec(limits: DecodingLimits(maxBodyBytes: 16))
        XCTAssertThrowsError(try limited.xml(fromJSONForm: JSONFormTests.vendorRequest, as: .request, command: .callHold)) {
            XCTAssertTrue(($0 as? JSONFormError)?.message.contains("maxBodyBytes") ?? false, "\($0)")
        }
    }
}
