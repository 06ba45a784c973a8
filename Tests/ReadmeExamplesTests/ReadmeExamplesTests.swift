// Tests of the README's code (ReadmeSnippets.swift holds it, exactly as shown).
import CallConsultKit
import Foundation
import XCTest

final class ReadmeExamplesTests: XCTestCase {
    func testServerAnswersOkErrorAndBadRequest() throws {
        let body = try Data(
            contentsOf: URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Examples/valid-request.xml"))
        var seen: CallConsultRequest?
        let ok = answer(body: body) {
            seen = $0
            return true
        }
        XCTAssertEqual(ok.status, 200)
        XCTAssertEqual(ok.contentType, "application/xml; charset=utf-8")
        XCTAssertEqual(try codec.decodeResponse(ok.body), .ok)
        XCTAssertEqual(seen, CallConsultRequest(conversationID: "0647e098a4b48b05", toNumber: "1001", operatorID: "42"))

        let refused = answer(body: body) { _ in false }
        XCTAssertEqual(refused.status, 403)
        XCTAssertEqual(
            try codec.decodeResponse(refused.body),
            .error(ErrorReply(reason: "cannot_perform_cmd", command: "call_consult", body: "operator busy")))
        XCTAssertTrue(String(decoding: refused.body, as: UTF8.self).contains(#"xs:noNamespaceSchemaLocation="call_consult.xsd""#))

        let bad = answer(body: Data("<in/>".utf8)) { _ in true }
        XCTAssertEqual(bad.status, 400)
        XCTAssertTrue(String(decoding: bad.body, as: UTF8.self).hasPrefix("not_valid"))

        let huge = answer(body: Data(repeating: 0x20, count: 100_000)) { _ in true }
        XCTAssertEqual(huge.status, 413)
    }

    func testClientFailsCleanlyWhenNothingListens() async throws {
        // Port 9 on loopback (discard) has no listener here: the call must throw, not hang or crash.
        let closed = try XCTUnwrap(URL(string: "http://127.0.0.1:9"))
        do {
            _ = try await consult(host: closed, domain: "example.domain", cookie: "session=1")
            XCTFail("a request to a closed port succeeded")
        } catch {
            XCTAssertFalse(error is DocumentError, "\(error)")
        }
    }

    func testLoginRoundTrip() throws {
        XCTAssertEqual(try loginRoundTrip(), LoginRequest(clientID: "crm", apiKey: "k-123", phoneNumber: "1001"))
    }

    func testWebsocketFormsComeBackAsTheSameRequest() throws {
        let body = try codec.encode(CallConsultRequest(conversationID: "c", toNumber: "1001"))
        XCTAssertEqual(try codec.decodeRequest(websocketForms(of: body)), try codec.decodeRequest(body))
    }

    func testStrictLimits() {
        let deep = "<in>" + String(repeating: "<a>", count: 9) + String(repeating: "</a>", count: 9) + "</in>"
        XCTAssertThrowsError(try strict.decodeRequest(Data(deep.utf8))) { error in
            XCTAssertEqual((error as? DocumentError)?.kind, .refusedByPolicy)
        }
    }
}
