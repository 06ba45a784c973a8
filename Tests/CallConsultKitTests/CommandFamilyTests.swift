import CallConsultKit
import XCTest

/// Every command of the family decodes, encodes and round-trips through the generic entry points.
final class CommandFamilyTests: XCTestCase {
    func testSamplesCoverEveryCommandInOrder() {
        XCTAssertEqual(CommandSample.all.map(\.command), CommandName.allCases)
        XCTAssertEqual(CommandName.allCases.count, 11)
        XCTAssertEqual(Set(CommandName.allCases).count, 11)
        for command in CommandName.allCases {
            XCTAssertEqual(CommandName(rawValue: command.rawValue), command)
            XCTAssertEqual(command.description, command.rawValue)
            XCTAssertEqual(command.schemaFileName, command.rawValue + ".xsd")
            XCTAssertEqual(command.hasResponseDocument, command != .monitor, "\(command)")
        }
        XCTAssertEqual(CommandName.auxWork.rawValue, "auxwork")
        XCTAssertNil(CommandName(rawValue: "add_to_conference"))
        XCTAssertNil(CommandName(rawValue: "CALL_HOLD"))
        XCTAssertNil(CommandName(rawValue: ""))
    }

    func testValidRequestsDecodeToTheRightCaseAndValues() throws {
        for sample in CommandSample.all {
            for (xml, expected) in [(sample.fullXML, sample.full), (sample.minimalXML, sample.minimal)] {
                let request = try decodeRequest(Body.utf8(xml), command: sample.command).get()
                XCTAssertEqual(request, expected, "\(sample.command): \(xml)")
                XCTAssertEqual(request.command, sample.command)
            }
        }
    }

    func testTypedDecodeGivesTheModel() throws {
        for sample in CommandSample.all {
            for (xml, expected) in [(sample.fullXML, sample.full), (sample.minimalXML, sample.minimal)] {
                let model = try decodeModel(like: expected.model, from: Body.utf8(xml))
                XCTAssertEqual(model.request, expected, "\(sample.command)")
            }
        }
        // One concrete call per shape, as a caller writes it.
        XCTAssertEqual(
            try codec.decode(CallHoldRequest.self, from: Body.utf8(CommandSample.of(.callHold).minimalXML)),
            CallHoldRequest(conversationID: "0647e098a4b48b05"))
        XCTAssertEqual(
            try codec.decode(BlockOperatorRequest.self, from: Body.utf8("<in><request agent_id=\"a\"/></in>")),
            BlockOperatorRequest(agentID: "a"))
        XCTAssertEqual(try codec.decode(MonitorRequest.self, from: Body.utf8("<monitor/>")), MonitorRequest())
    }

    func testTypedDecodeRefusesAnotherCommandsRequest() {
        // A call_unhold model asked for with a call_hold body: validated against call_unhold.xsd.
        XCTAssertThrowsError(try codec.decode(CallUnholdRequest.self, from: Body.utf8(CommandSample.of(.callHold).fullXML))) {
            XCTAssertEqual(($0 as? DocumentError)?.kind, .notValid, "\($0)")
        }
        XCTAssertThrowsError(try codec.decode(UnblockOperatorRequest.self, from: Body.utf8("<monitor/>"))) {
            XCTAssertEqual(($0 as? DocumentError)?.kind, .wrongRoot, "\($0)")
        }
    }

    func testEncodeRoundTripsWithOptionalsPresentAndAbsent() throws {
        for sample in CommandSample.all {
            for expected in [sample.full, sample.minimal] {
                let viaEnum = try codec.encode(expected)
                let viaModel = try encodeModel(expected.model)
                XCTAssertEqual(viaEnum, viaModel, "\(sample.command)")
                let text = String(decoding: viaEnum, as: UTF8.self)
                XCTAssertTrue(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<\(sample.root)"), text)
                XCTAssertEqual(try decodeRequest(viaEnum, command: sample.command).get(), expected, text)
                XCTAssertEqual(try decodeModel(like: expected.model, from: viaEnum).request, expected, text)
            }
        }
    }

    func testEncodedRequestsWriteOnlyTheAttributesGiven() throws {
        let hold = String(decoding: try codec.encode(CallHoldRequest(conversationID: "c")), as: UTF8.self)
        XCTAssertTrue(hold.hasSuffix("<in><request><call_hold conversation_id=\"c\"/></request></in>\n"), hold)
        let transfer = String(
            decoding: try codec.encode(
                CallUnattendedTransferRequest(originalConversationID: "o", toNumber: "1", destinationConversationID: "d")),
            as: UTF8.self)
        XCTAssertFalse(transfer.contains("operator_id"), transfer)
        XCTAssertFalse(transfer.contains("workitem_id"), transfer)
        let withWorkItem = try codec.encode(
            CallUnattendedTransferRequest(
                originalConversationID: "o", toNumber: "1", destinationConversationID: "d", workitemID: "w"))
        XCTAssertEqual(
            try codec.decode(CallUnattendedTransferRequest.self, from: withWorkItem),
            CallUnattendedTransferRequest(
                originalConversationID: "o", toNumber: "1", destinationConversationID: "d", workitemID: "w"))
    }

    func testShapeBCommandsCarryTheirAttributesOnRequest() throws {
        for command in [CommandName.login, .blockOperator, .unblockOperator] {
            let text = String(decoding: try codec.encode(CommandSample.of(command).full), as: UTF8.self)
            XCTAssertTrue(text.contains("<in><request "), "\(command): \(text)")
            XCTAssertTrue(text.hasSuffix("/></in>\n"), "\(command): \(text)")
        }
        // The same attribute on a child of <request> is the other shape: refused.
        for command in [CommandName.blockOperator, .unblockOperator] {
            let nested = "<in>\n  <request>\n    <\(command.rawValue) agent_id=\"a\"/>\n  </request>\n</in>\n"
            assertRefused(decodeRequest(Body.utf8(nested), command: command), .notValid, "\(command) nested")
        }
        assertRefused(
            decodeRequest(Body.utf8("<in><request><block_operator/></request></in>"), command: .blockOperator), .notValid,
            "block_operator without agent_id")
    }

    func testShapeACommandsCarryTheirAttributesOnTheirChild() throws {
        let shapeA: [(CommandName, String)] = [
            (.callConsult, "call_consult"), (.callHold, "call_hold"), (.callUnhold, "call_unhold"),
            (.callUnattendedTransfer, "call_unattended_transfer"), (.auxWork, "auxwork"),
            (.removeParticipant, "remove_participant"),
            (.addParticipant, "add_to_conference"),
        ]
        for (command, child) in shapeA {
            let text = String(decoding: try codec.encode(CommandSample.of(command).full), as: UTF8.self)
            XCTAssertTrue(text.contains("<in><request><\(child)"), "\(command): \(text)")
        }
        // An attribute of the child written on <request> instead is refused.
        assertRefused(
            decodeRequest(Body.utf8("<in><request conversation_id=\"c\"/></in>"), command: .callHold), .notValid, "on request")
        assertRefused(
            decodeRequest(Body.utf8("<in><request reason=\"r\"><auxwork reason=\"r\"/></request></in>"), command: .auxWork),
            .notValid, "extra attribute on request")
    }

    func testAddParticipantShapes() throws {
        let cases: [(String, AddParticipantRequest)] = [
            ("<add_to_conference/>", AddParticipantRequest(participants: nil)),
            ("<add_to_conference></add_to_conference>", AddParticipantRequest(participants: nil)),
            (
                "<add_to_conference><participants conference_id=\"k\"/></add_to_conference>",
                AddParticipantRequest(conferenceID: "k", participants: [])
            ),
            (
                "<add_to_conference><participants conference_id=\"\"></participants></add_to_conference>",
                AddParticipantRequest(conferenceID: "", participants: [])
            ),
            (
                "<add_to_conference><participants conference_id=\"k\"><participant number=\"1\"/></participants></add_to_conference>",
                AddParticipantRequest(conferenceID: "k", participants: [.init(number: "1")])
            ),
            (
                "<add_to_conference><participants conference_id=\"k\"><participant conversation_id=\"c\"/><participant conversation_id=\"d\" number=\"2\"/><participant/></participants></add_to_conference>",
                AddParticipantRequest(
                    conferenceID: "k",
                    participants: [.init(conversationID: "c"), .init(number: "2", conversationID: "d"), .init()])
            ),
        ]
        for (inner, expected) in cases {
            let xml = "<in><request>\(inner)</request></in>"
            XCTAssertEqual(try codec.decode(AddParticipantRequest.self, from: Body.utf8(xml)), expected, inner)
            XCTAssertEqual(try codec.decode(AddParticipantRequest.self, from: codec.encode(expected)), expected, inner)
        }
        let refused = [
            "<in><request/></in>",
            "<in><request><add_to_conference><participants/></add_to_conference></request></in>",
            "<in><request><add_to_conference><participant number=\"1\"/></add_to_conference></request></in>",
            "<in><request><add_to_conference><participants conference_id=\"k\"/><participants conference_id=\"l\"/></add_to_conference></request></in>",
            "<in><request><add_to_conference><participants conference_id=\"k\"><participant id=\"1\"/></participants></add_to_conference></request></in>",
            "<in><request><add_to_conference conference_id=\"k\"/></request></in>",
        ]
        for xml in refused {
            assertRefused(decodeRequest(Body.utf8(xml), command: .addParticipant), .notValid, xml)
        }
    }

    func testVendorWebsocketShapeOfAddParticipantIsRefused() {
        let vendor = #"<in><request><add_participant conference_id="0647e098a4b48b05"/></request></in>"#
        assertRefused(decodeRequest(Body.utf8(vendor), command: .addParticipant), .notValid, "vendor websocket example")
        XCTAssertThrowsError(try codec.decode(AddParticipantRequest.self, from: Body.utf8(vendor))) {
            XCTAssertEqual(($0 as? DocumentError)?.kind, .notValid)
        }
    }

    func testMonitorShapes() throws {
        let event = MonitorEvent(name: "n", entity: "e", timestamp: "t")
        let cases: [(String, MonitorRequest)] = [
            ("<monitor/>", MonitorRequest()),
            ("<monitor><start/></monitor>", MonitorRequest(start: [])),
            ("<monitor><stop></stop></monitor>", MonitorRequest(stop: [])),
            ("<monitor><start><event name=\"a\"/></start></monitor>", MonitorRequest(start: [.init(name: "a")])),
            (
                "<monitor><stop><event name=\"a\" entity=\"e\"/></stop></monitor>",
                MonitorRequest(stop: [.init(name: "a", entity: "e")])
            ),
            (
                "<monitor><start><event timestamp=\"t\" entity=\"e\" name=\"n\"/></start><stop/></monitor>",
                MonitorRequest(start: [event], stop: [])
            ),
            (
                "<monitor><stop><event name=\"x\" timestamp=\"1\"/></stop><start><event name=\"y\"/></start></monitor>",
                MonitorRequest(start: [.init(name: "y")], stop: [.init(name: "x", timestamp: "1")])
            ),
        ]
        for (xml, expected) in cases {
            XCTAssertEqual(try codec.decode(MonitorRequest.self, from: Body.utf8(xml)), expected, xml)
            XCTAssertEqual(try codec.decode(MonitorRequest.self, from: codec.encode(expected)), expected, xml)
        }
        XCTAssertEqual(MonitorRequest(start: [event], stop: [.init(name: "m")]).eventNames, ["n", "m"])
        let refused = [
            "<monitor><start/><start/></monitor>",
            "<monitor><start><event/></start></monitor>",
            "<monitor><start><event name=\"a\" kind=\"x\"/></start></monitor>",
            "<monitor><event name=\"a\"/></monitor>",
            "<monitor><start><event name=\"a\"><event name=\"b\"/></event></start></monitor>",
            "<monitor>text</monitor>",
        ]
        for xml in refused {
            assertRefused(decodeRequest(Body.utf8(xml), command: .monitor), .notValid, xml)
        }
    }

    func testWrongRootsAreRefusedForEveryCommand() {
        for sample in CommandSample.all {
            let out = "<out><response><ok/></response></out>"
            assertRefused(decodeRequest(Body.utf8(out), command: sample.command), .wrongRoot, "\(sample.command): <out>")
            let other =
                sample.command == .monitor ? sample.fullXML.replacingOccurrences(of: "monitor>", with: "in>") : "<monitor/>"
            assertRefused(decodeRequest(Body.utf8(other), command: sample.command), .wrongRoot, "\(sample.command): \(other)")
            // A request is no answer.
            if sample.command != .monitor {
                assertRefused(decodeResponse(Body.utf8(sample.fullXML), command: sample.command), .wrongRoot, "\(sample.command)")
            }
        }
    }

    func testEveryOtherCommandsRequestIsRefused() {
        for sample in CommandSample.all {
            for other in CommandSample.all where other.command != sample.command {
                // block_operator and unblock_operator share one request shape.
                let shared: Set<CommandName> = [.blockOperator, .unblockOperator]
                if shared.contains(sample.command), shared.contains(other.command) { continue }
                // An empty <monitor/> is never another command's request, and vice versa.
                let outcome = decodeRequest(Body.utf8(other.fullXML), command: sample.command)
                guard case .failure(let error) = outcome else {
                    XCTFail("\(sample.command) accepted \(other.command)'s request")
                    continue
                }
                XCTAssertTrue([.notValid, .wrongRoot].contains(error.kind), "\(sample.command) / \(other.command): \(error)")
            }
        }
    }
}
