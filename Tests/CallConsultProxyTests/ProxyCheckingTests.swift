import CallConsultEmulator
import CallConsultKit
import CallConsultProxy
import Foundation
import NIOCore
import TestSupport
import XCTest

@testable import CallConsultProxy

/// What the proxy finds: invalid requests and answers placed as xmllint places them, `strict`.
final class ProxyCheckingTests: XCTestCase {
    static let invalidHold = "<in>\n  <request>\n    <call_hold conversation_idx=\"c-1\"/>\n  </request>\n</in>"
    static let invalidOut = "<out>\n<response><okay/></response>\n</out>"

    func testAnInvalidRequestIsForwardedAndReportedWithXmllintsLines() async throws {
        let expected = try Self.xmllintIssues(of: Self.invalidHold)
        XCTAssertFalse(expected.isEmpty)
        try await ProxyTest.withProxy { running, proxy, exchanges in
            let login = try await ProxyTest.send(ProxyTest.url(proxy, "login"), body: ProxyTest.login)
            let answer = try await ProxyTest.send(
                ProxyTest.url(proxy, "call_hold"), body: Self.invalidHold, headers: [("Cookie", login.cookie ?? "")])
            XCTAssertEqual(answer.status, 400, "the emulator's refusal, passed on")
            XCTAssertEqual(running.exchanges.count, 2, "forwarded")
            let exchange = try XCTUnwrap(exchanges().last)
            XCTAssertEqual(exchange.requestValid, false)
            XCTAssertNil(exchange.request)
            XCTAssertNil(exchange.failure)
            XCTAssertEqual(exchange.issues.map(\.which), Array(repeating: .request, count: expected.count))
            XCTAssertEqual(exchange.issues.map { "\($0.line): \($0.message)" }, expected)
        }
    }

    func testAnInvalidAnswerIsPassedOnAndReportedWithXmllintsLines() async throws {
        let expected = try Self.xmllintIssues(of: Self.invalidOut)
        XCTAssertFalse(expected.isEmpty)
        try await ProxyTest.withProxy { running, proxy, exchanges in
            _ = try running.emulator.addStub(
                .init(
                    command: .callHold,
                    fault: .init(kind: .http, status: 200, contentType: "application/xml", body: Self.invalidOut)))
            let login = try await ProxyTest.send(ProxyTest.url(proxy, "login"), body: ProxyTest.login)
            let answer = try await ProxyTest.send(
                ProxyTest.url(proxy, "call_hold"), body: ProxyTest.hold, headers: [("Cookie", login.cookie ?? "")])
            XCTAssertEqual(answer.status, 200)
            XCTAssertEqual(answer.text, Self.invalidOut)
            let exchange = try XCTUnwrap(exchanges().last)
            XCTAssertEqual(exchange.requestValid, true)
            XCTAssertEqual(exchange.request, .callHold(CallHoldRequest(conversationID: "c-1")))
            XCTAssertEqual(exchange.responseValid, false)
            XCTAssertNil(exchange.response)
            XCTAssertEqual(exchange.issues.map(\.which), Array(repeating: .response, count: expected.count))
            XCTAssertEqual(exchange.issues.map { "\($0.line): \($0.message)" }, expected)
            XCTAssertNil(exchange.recordedStub, "an invalid answer is not recorded")
        }
    }

    func testStrictAnswersAnInvalidRequest400WithTheDocumentErrorAndDoesNotForwardIt() async throws {
        try await ProxyTest.withProxy(strict: true) { running, proxy, exchanges in
            let login = try await ProxyTest.send(ProxyTest.url(proxy, "login"), body: ProxyTest.login)
            let answer = try await ProxyTest.send(
                ProxyTest.url(proxy, "call_hold"), body: Self.invalidHold, headers: [("Cookie", login.cookie ?? "")])
            XCTAssertEqual(answer.status, 400)
            XCTAssertEqual(answer.headers.first { $0.0.lowercased() == "content-type" }?.1, "text/plain; charset=utf-8")
            var expected = ""
            do {
                _ = try CallConsultCodec().decodeRequest(Array(Self.invalidHold.utf8), command: .callHold)
            } catch {
                expected = "\(error)\n"
            }
            XCTAssertEqual(answer.text, expected)
            XCTAssertTrue(answer.text.hasPrefix("not_valid\n"))
            XCTAssertEqual(running.exchanges.count, 1, "only the login reached the upstream")
            let exchange = try XCTUnwrap(exchanges().last)
            XCTAssertEqual(exchange.status, 400)
            XCTAssertEqual(exchange.failure?.kind, .invalidRequest)
            XCTAssertEqual(exchange.requestValid, false)
            XCTAssertNil(exchange.responseValid)
            // A valid request still goes through.
            let valid = try await ProxyTest.send(
                ProxyTest.url(proxy, "call_hold"), body: ProxyTest.hold, headers: [("Cookie", login.cookie ?? "")])
            XCTAssertEqual(valid.status, 200)
        }
    }

    func testABodyOverTheLimitIsAnswered413AndNotForwarded() async throws {
        try await ProxyTest.withProxy { running, proxy, exchanges in
            let big = "<in>" + String(repeating: " ", count: DecodingLimits.default.maxBodyBytes) + "</in>"
            let answer = try await ProxyTest.send(ProxyTest.url(proxy, "call_hold"), body: big)
            XCTAssertEqual(answer.status, 413)
            XCTAssertEqual(running.exchanges.count, 0)
            XCTAssertEqual(exchanges().last?.failure?.kind, .requestTooLarge)
        }
    }

    func testOnlyTheFamilysPathsNameACommand() {
        let target = ExchangeCheck.Target(path: "/d\u{00E9}.x/service/cc/arm/call_hold")
        XCTAssertEqual(target?.domain, "d\u{00E9}.x")
        XCTAssertEqual(target?.name, "call_hold")
        for path in [
            "", "/", "d/service/cc/arm/c", "//service/cc/arm/c", "/d/service/cc/arm/", "/d/service/cc/arm/c/",
            "/d/service/cc/arm", "/d/servicE/cc/arm/c", "/d/service/cc/ar/c", "/d/x/service/cc/arm/c",
        ] {
            XCTAssertNil(ExchangeCheck.Target(path: path), path)
        }
        XCTAssertEqual(ExchangeCheck.commands["call_hold"], .callHold)
        XCTAssertNil(ExchangeCheck.commands["Call_hold"])
        XCTAssertTrue(ExchangeCheck.isXML(contentType: "Application/XML; charset=utf-8", body: ByteBuffer()))
        XCTAssertTrue(ExchangeCheck.isXML(contentType: "text/xMl", body: ByteBuffer()))
        XCTAssertFalse(ExchangeCheck.isXML(contentType: "text/plain", body: ByteBuffer(string: "<out/>")))
        XCTAssertTrue(ExchangeCheck.isXML(contentType: nil, body: ByteBuffer(string: " \n<out/>")))
    }

    func testNoIssueRepeatsTheLoginsAPIKey() async throws {
        let body = #"<in><request client_id="crm" api_key="s3cret-KEY-9" phone_number="1001" s3cret-KEY-9="1"/></in>"#
        try await ProxyTest.withProxy { _, proxy, exchanges in
            _ = try await ProxyTest.send(ProxyTest.url(proxy, "login"), body: body)
            let exchange = try XCTUnwrap(exchanges().last)
            XCTAssertEqual(exchange.requestValid, false)
            XCTAssertFalse(exchange.issues.isEmpty)
            XCTAssertFalse("\(exchange.issues)".contains("s3cret-KEY-9"), "\(exchange.issues)")
            _ = try await ProxyTest.send(ProxyTest.url(proxy, "login"), body: ProxyTest.login)
            let valid = try XCTUnwrap(exchanges().last)
            XCTAssertEqual(valid.requestValid, true)
            for text in ["\(valid)", String(reflecting: valid), "\(exchanges())"] {
                XCTAssertFalse(text.contains("s3cret-KEY-9"), text)
            }
        }
        XCTAssertEqual(ExchangeCheck.apiKey(in: Array(#"<request api_key = 'k"1' />"#.utf8)), #"k"1"#)
        XCTAssertNil(ExchangeCheck.apiKey(in: Array("<request/>".utf8)))
    }

    /// xmllint's issues for `xml` against call_hold.xsd, as `LINE: MESSAGE` (the proxy's issues
    /// name no element).
    private static func xmllintIssues(of xml: String) throws -> [String] {
        try Xmllint.run(Xmllint.url(), on: xml, schema: "call_hold.xsd").issues.map { issue in
            let parts = issue.split(separator: ": ", maxSplits: 2, omittingEmptySubsequences: false)
            return parts.count == 3 ? "\(parts[0]): \(parts[2])" : issue
        }
    }
}
