// Tests of the DocC articles' code (DocCSnippets.swift holds it, exactly as shown).
import CallConsultKit
import Foundation
import XCTest

final class DocCExamplesTests: XCTestCase {
    private static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testServerAnswersEveryCommand() throws {
        let body = try Data(contentsOf: Self.packageRoot.appendingPathComponent("Examples/valid-request.xml"))
        var seen: ECSSRequest?
        let ok = answer(path: "/example.domain/service/cc/arm/call_consult", body: body) {
            seen = $0
            return .ok
        }
        XCTAssertEqual(ok.status, 200)
        XCTAssertEqual(ok.type, "application/xml; charset=utf-8")
        XCTAssertEqual(try codec.decodeResponse(ok.body), .ok)
        XCTAssertEqual(
            seen, .callConsult(CallConsultRequest(conversationID: "0647e098a4b48b05", toNumber: "1001", operatorID: "42")))

        let refusal = ErrorReply(reason: "cannot_perform_cmd", command: "block_operator", body: "operator busy")
        let block = Data(#"<in><request agent_id="7"/></in>"#.utf8)
        let refused = answer(path: "/d/service/cc/arm/block_operator", body: block) { _ in .error(refusal) }
        XCTAssertEqual(refused.status, 200, "block_operator's errors come with 200")
        XCTAssertEqual(try codec.decodeResponse(refused.body, command: .blockOperator), .error(refusal))
        XCTAssertTrue(
            String(decoding: refused.body, as: UTF8.self).contains(#"xs:noNamespaceSchemaLocation="block_operator.xsd""#))

        let hold = Data(#"<in><request><call_hold conversation_id="c"/></request></in>"#.utf8)
        XCTAssertEqual(answer(path: "/d/service/cc/arm/call_hold", body: hold) { _ in .error(refusal) }.status, 403)
        let monitor = Data(#"<monitor><start><event name="conferences"/></start></monitor>"#.utf8)
        let watched = answer(path: "/d/service/cc/arm/monitor", body: monitor) { _ in .ok }
        XCTAssertEqual(watched.status, 200)
        XCTAssertEqual(watched.body, [])
        XCTAssertEqual(answer(path: "/d/service/cc/arm/call_pickup", body: hold) { _ in .ok }.status, 404)

        let bad = answer(path: "/d/service/cc/arm/call_hold", body: Data("<in/>".utf8)) { _ in .ok }
        XCTAssertEqual(bad.status, 400)
        XCTAssertTrue(String(decoding: bad.body, as: UTF8.self).hasPrefix("not_valid"))
        let huge = answer(path: "/d/service/cc/arm/call_hold", body: Data(repeating: 0x20, count: 100_000)) { _ in .ok }
        XCTAssertEqual(huge.status, 413)
    }

    func testDecodeAnyFollowsThePath() throws {
        let body = try codec.encode(AuxWorkRequest(reason: "lunch"))
        XCTAssertEqual(try decodeAny(path: "/d/service/cc/arm/auxwork", body: body), .auxWork(AuxWorkRequest(reason: "lunch")))
        XCTAssertNil(try decodeAny(path: "/d/service/cc/arm/call_pickup", body: body))
        XCTAssertThrowsError(try decodeAny(path: "/d/service/cc/arm/call_hold", body: body))
    }

    func testEveryCommandRoundTrips() throws {
        XCTAssertEqual(Set(everyCommand.map { type(of: $0).name }), Set(CommandName.allCases))
        for command in everyCommand {
            XCTAssertEqual(try roundTrip(command), command.request)
            XCTAssertFalse(summary(of: command.request).isEmpty)
        }
        XCTAssertEqual(summary(of: MonitorRequest(start: [MonitorEvent(name: "a")]).request), "watch a")
        let reply = try reply(.error(ErrorReply(reason: "cannot_perform_cmd")), to: .auxWork)
        XCTAssertEqual(reply.status, 200)
        XCTAssertEqual(try codec.decodeResponse(reply.body, command: .auxWork), .error(ErrorReply(reason: "cannot_perform_cmd")))
    }

    func testACommandThisPackageDoesNotShip() throws {
        let xsd = """
            <?xml version="1.0" encoding="UTF-8"?>
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
              <xs:include schemaLocation="error.xsd"/>
              <xs:element name="in"><xs:complexType><xs:sequence><xs:element name="request"><xs:complexType>
                <xs:sequence><xs:element name="call_pickup"><xs:complexType>
                  <xs:attribute name="conversation_id" type="xs:string" use="required"/>
                </xs:complexType></xs:element></xs:sequence>
              </xs:complexType></xs:element></xs:sequence></xs:complexType></xs:element>
            </xs:schema>
            """
        let tree = try pickup(
            schema: Array(xsd.utf8), body: Array(#"<in><request><call_pickup conversation_id="c"/></request></in>"#.utf8))
        XCTAssertEqual(tree.name, "in")
        XCTAssertThrowsError(try pickup(schema: Array(xsd.utf8), body: Array("<in><request/></in>".utf8)))
    }

    func testConferenceNotification() throws {
        let body = #"<event name="conferences" entity="operator-7"><new id="conf-1" is_owner="true"/></event>"#
        let change = try conferenceChange(Array(body.utf8))
        XCTAssertEqual(change.conference, "conf-1")
        XCTAssertEqual(change.kind, .new)
    }

    func testClientFailsCleanlyWhenNothingListens() async throws {
        // Port 9 on loopback (discard) has no listener here: the call must throw, not hang or crash.
        let closed = try XCTUnwrap(URL(string: "http://127.0.0.1:9"))
        do {
            _ = try await post(CallHoldRequest(conversationID: "c"), to: closed, domain: "example.domain", cookie: "session=1")
            XCTFail("a request to a closed port succeeded")
        } catch {
            XCTAssertFalse(error is DocumentError, "\(error)")
        }
    }

    func testLoginRoundTrip() throws {
        XCTAssertEqual(try loginRoundTrip(), LoginRequest(clientID: "crm", apiKey: "k-123", phoneNumber: "1001"))
    }

    func testWebsocketFormsComeBackAsTheSameRequest() throws {
        for command in everyCommand {
            let name = type(of: command).name
            let body = try codec.encode(command)
            XCTAssertEqual(try codec.decodeRequest(websocketForms(of: body, command: name), command: name), command.request)
        }
    }

    /// Every JSON form the article "The command family" shows is a valid message of some command.
    func testTheCommandFamilysJSONFormsAreValid() throws {
        let article = try String(
            contentsOf: Self.packageRoot.appendingPathComponent("Sources/CallConsultKit/Documentation.docc/CommandFamily.md"),
            encoding: .utf8)
        let forms = article.components(separatedBy: "\n```json\n").dropFirst()
            .flatMap { $0.components(separatedBy: "\n```")[0].components(separatedBy: "\n") }
        XCTAssertGreaterThanOrEqual(forms.count, 4)
        for form in forms {
            let kind: MessageKind = form.hasPrefix(#"[{"_name": "out""#) ? .response : .request
            let valid = CommandName.allCases.contains { (try? codec.xml(fromJSONForm: form, as: kind, command: $0)) != nil }
            XCTAssertTrue(valid, "no command's schema accepts \(form)")
        }
    }

    func testStrictLimits() {
        let deep = "<in>" + String(repeating: "<a>", count: 9) + String(repeating: "</a>", count: 9) + "</in>"
        XCTAssertThrowsError(try strict.decodeRequest(Data(deep.utf8))) { error in
            XCTAssertEqual((error as? DocumentError)?.kind, .refusedByPolicy)
        }
    }
}
