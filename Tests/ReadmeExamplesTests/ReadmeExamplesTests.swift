// The code of README.md, compiled and run. This target imports Foundation and CallConsultKit in one
// file, as a client service does: it proves the ICU/Foundation clash of Debian's libxml2 headers
// stays inside CallConsultKit.
import CallConsultKit
import Foundation
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

// MARK: README "Server side"

let codec = CallConsultCodec()

/// Answers a POST to /<DOMAIN>/service/cc/arm/call_consult.
func answer(body: Data, connect: (CallConsultRequest) -> Bool) -> (status: Int, contentType: String, body: [UInt8]) {
    let request: CallConsultRequest
    do {
        request = try codec.decodeRequest(body)
    } catch {
        // `error` is a DocumentError: error.kind.code is e.g. "not_valid", and every issue has
        // a line, a column, the element concerned and libxml2's message.
        return (error.kind == .tooLarge ? 413 : 400, "text/plain; charset=utf-8", Array("\(error)\n".utf8))
    }
    let response: CallConsultResponse =
        connect(request)
        ? .ok
        : .error(ErrorReply(reason: ErrorReply.cannotPerformCommand, command: "call_consult"))
    do {
        return (response.httpStatus, CallConsultResponse.contentType, try codec.encode(response))
    } catch {
        // Only a reason holding a character XML 1.0 cannot carry (e.g. U+0000) gets here.
        return (500, "text/plain; charset=utf-8", Array("\(error)\n".utf8))
    }
}

// MARK: README "Client side"

/// Asks ECSS-10 to connect operator 42 to a conversation in consultation mode.
func consult(host: URL, domain: String) async throws -> CallConsultResponse {
    let request = CallConsultRequest(conversationID: "0647e098a4b48b05", toNumber: "1001", operatorID: "42")
    var http = URLRequest(url: host.appendingPathComponent("\(domain)/service/cc/arm/call_consult"))
    http.httpMethod = "POST"
    http.setValue(CallConsultResponse.contentType, forHTTPHeaderField: "Content-Type")
    http.httpBody = Data(try codec.encode(request))
    let (data, _) = try await URLSession.shared.data(for: http)
    return try codec.decodeResponse(data)  // 200 and 403 both carry an <out> body
}

// MARK: README "Limits"

let strict = CallConsultCodec(limits: DecodingLimits(maxBodyBytes: 4096, maxDepth: 8, maxAttributesPerElement: 8))

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
            .error(ErrorReply(reason: "cannot_perform_cmd", command: "call_consult")))

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
            _ = try await consult(host: closed, domain: "example.domain")
            XCTFail("a request to a closed port succeeded")
        } catch {
            XCTAssertFalse(error is DocumentError, "\(error)")
        }
    }

    func testStrictLimits() {
        let deep = "<in>" + String(repeating: "<a>", count: 9) + String(repeating: "</a>", count: 9) + "</in>"
        XCTAssertThrowsError(try strict.decodeRequest(Data(deep.utf8))) { error in
            XCTAssertEqual((error as? DocumentError)?.kind, .refusedByPolicy)
        }
    }
}
