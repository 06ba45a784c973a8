import CallConsultKit
import XCTest

/// Every class of attack in the defusedxml catalogue, and every resource fault, is a typed refusal
/// and nothing else: no expansion, no file or network access, no output.
final class HostileInputTests: XCTestCase {
    /// A codec whose size limit lets huge attack documents reach the parser's other defences.
    let roomy = CallConsultCodec(limits: DecodingLimits(maxBodyBytes: 64 << 20))

    func testBillionLaughsIsRefusedBeforeExpansion() {
        var dtd = #"<!ENTITY lol0 "lol">"#
        for level in 1...9 {
            dtd += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">"
        }
        let body = Body.utf8(
            "<?xml version=\"1.0\"?><!DOCTYPE in [\(dtd)]>" + requestXML(#"conversation_id="&lol9;" to_number="1""#))
        assertRefused(decodeRequest(body), .refusedByPolicy, mentioning: "DOCTYPE", "billion laughs")
    }

    func testQuadraticBlowupIsRefusedBeforeExpansion() {
        let entity = String(repeating: "x", count: 50_000)
        let references = String(repeating: "&a;", count: 50_000)
        let body = Body.utf8(
            "<!DOCTYPE in [<!ENTITY a \"\(entity)\">]>" + requestXML("conversation_id=\"\(references)\" to_number=\"1\""))
        assertRefused(decodeRequest(body, codec: roomy), .refusedByPolicy, mentioning: "DOCTYPE", "quadratic blowup")
    }

    func testExternalEntityToALocalFileNeverReadsIt() throws {
        let secret = "SECRET-\(UUID().uuidString)"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ccx-secret-\(UUID().uuidString)")
        try secret.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let bodies = [
            "<!DOCTYPE in [<!ENTITY s SYSTEM \"\(file.absoluteString)\">]>" + requestXML(#"conversation_id="&s;" to_number="1""#),
            "<!DOCTYPE in [<!ENTITY s SYSTEM \"\(file.path)\">]><in><request>&s;</request></in>",
            "<!DOCTYPE in SYSTEM \"\(file.path)\">" + requestXML(#"conversation_id="c" to_number="1""#),
            "<!DOCTYPE in [<!ENTITY % p SYSTEM \"\(file.path)\"> %p;]>" + requestXML(#"conversation_id="c" to_number="1""#),
        ]
        for body in bodies {
            let outcome = decodeRequest(Body.utf8(body))
            assertRefused(outcome, .refusedByPolicy, mentioning: "DOCTYPE", body)
            XCTAssertFalse("\(outcome)".contains(secret), "the secret leaked: \(outcome)")
        }
    }

    func testNothingIsFetchedOverTheNetwork() throws {
        let listener = try LoopbackListener()
        let url = "http://127.0.0.1:\(listener.port)"
        let valid = requestXML(#"conversation_id="c" to_number="1""#)
        let bodies: [(String, DocumentError.Kind?)] = [
            ("<!DOCTYPE in SYSTEM \"\(url)/in.dtd\">" + valid, .refusedByPolicy),
            ("<!DOCTYPE in PUBLIC \"-//X//DTD X//EN\" \"\(url)/in.dtd\">" + valid, .refusedByPolicy),
            (
                "<!DOCTYPE in [<!ENTITY e SYSTEM \"\(url)/e\">]>" + requestXML(#"conversation_id="&e;" to_number="1""#),
                .refusedByPolicy
            ),
            ("<!DOCTYPE in [<!ENTITY % p SYSTEM \"\(url)/p\"> %p;]>" + valid, .refusedByPolicy),
            (
                "<in xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"\(url)/call_consult.xsd\"><request><call_consult conversation_id=\"c\" to_number=\"1\"/></request></in>",
                nil
            ),
            (
                "<in xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"urn:x \(url)/x.xsd\"><request><call_consult conversation_id=\"c\" to_number=\"1\"/></request></in>",
                nil
            ),
            (
                "<in><request><call_consult conversation_id=\"c\" to_number=\"1\"/><xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"\(url)/x.xml\"/></request></in>",
                .notValid
            ),
        ]
        for (body, kind) in bodies {
            let outcome = decodeRequest(Body.utf8(body))
            if let kind {
                assertRefused(outcome, kind, body)
            } else {
                XCTAssertEqual(try outcome.get(), CallConsultRequest(conversationID: "c", toNumber: "1"), body)
            }
            XCTAssertEqual(listener.pendingConnections(), 0, "a connection was attempted for \(body)")
        }
    }

    func testXIncludeIsNeverProcessed() throws {
        let secret = "SECRET-\(UUID().uuidString)"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ccx-xinclude-\(UUID().uuidString)")
        try secret.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let body = Body.utf8(
            #"<in xmlns:xi="http://www.w3.org/2001/XInclude"><request><xi:include href="\#(file.path)" parse="text"/></request></in>"#
        )
        let outcome = decodeRequest(body)
        assertRefused(outcome, .notValid, "XInclude")
        XCTAssertFalse("\(outcome)".contains(secret))
    }

    func testDeepNestingIsRefused() {
        let levels = 100_000
        let body = Body.utf8(
            "<in>" + String(repeating: "<a>", count: levels) + String(repeating: "</a>", count: levels) + "</in>")
        assertRefused(decodeRequest(body), .tooLarge, "100 000 levels with the default size limit")
        assertRefused(decodeRequest(body, codec: roomy), .refusedByPolicy, mentioning: "deeper than 32", "100 000 levels")
        let unclosed = Body.utf8(String(repeating: "<in>", count: levels))
        assertRefused(
            decodeRequest(unclosed, codec: roomy), .refusedByPolicy, mentioning: "deeper than 32", "100 000 unclosed levels")
    }

    func testHundredThousandAttributesAreRefusedBeforeParsing() {
        let attributes = (0..<100_000).map { "a\($0)=\"\($0)\"" }.joined(separator: " ")
        let body = Body.utf8(requestXML(attributes))
        assertRefused(decodeRequest(body), .tooLarge, "100 000 attributes with the default size limit")
        assertRefused(
            decodeRequest(body, codec: roomy), .refusedByPolicy, mentioning: "more than 32 attributes", "100 000 attributes")
        let namespaces = (0..<100_000).map { "xmlns:p\($0)=\"urn:\($0)\"" }.joined(separator: " ")
        assertRefused(
            decodeRequest(Body.utf8("<in \(namespaces)/>"), codec: roomy), .refusedByPolicy, "100 000 namespace declarations")
        let utf16 = Body.utf16LE("<in " + (0..<1_000).map { "a\($0)='1'" }.joined(separator: " ") + "/>")
        assertRefused(
            decodeRequest(utf16, codec: roomy), .refusedByPolicy, mentioning: "more than 32 attributes", "UTF-16 attributes")
    }

    func testAttributeLimitCountsOnlyRealAttributes() {
        // '=' in values, comments, processing instructions and text does not count.
        let equals = String(repeating: "=", count: 100)
        let body = Body.utf8(
            "<?pi \(equals)?><!-- \(equals) --><in><request><call_consult conversation_id=\"\(equals)\" to_number='\(equals)'/></request></in>"
        )
        XCTAssertEqual(try decodeRequest(body).get(), CallConsultRequest(conversationID: equals, toNumber: equals))
        let limited = CallConsultCodec(limits: DecodingLimits(maxAttributesPerElement: 2))
        assertRefused(
            decodeRequest(Body.utf8(requestXML(#"conversation_id="c" to_number="1" operator_id="2""#)), codec: limited),
            .refusedByPolicy, mentioning: "attributes", "three attributes over a limit of two")
    }

    func testHundredMegabyteBodyIsRefusedUnparsed() {
        let body = [UInt8](repeating: UInt8(ascii: "<"), count: 100 << 20)
        assertRefused(decodeRequest(body), .tooLarge, mentioning: "104857600 bytes", "100 MB")
        assertRefused(decodeResponse(body), .tooLarge, "100 MB response")
    }

    func testLongValuesWithinTheLimitAreFine() throws {
        let long = String(repeating: "7", count: 60_000)
        XCTAssertEqual(
            try decodeRequest(Body.utf8(requestXML("conversation_id=\"\(long)\" to_number=\"1\""))).get().conversationID, long)
    }

    /// The hostile bodies of this file and of the not-well-formed table, for the tests below.
    static let hostileBodies: [[UInt8]] = [
        Body.utf8(#"<!DOCTYPE in [<!ENTITY a "b">]><in>&a;</in>"#),
        Body.utf8(#"<!DOCTYPE in SYSTEM "http://127.0.0.1:1/x.dtd"><in/>"#),
        Body.utf8(#"<in><request><call_consult conversation_id="&undefined;" to_number="1"/></request></in>"#),
        Body.utf8("<in>" + String(repeating: "<a>", count: 300)),
        [0xC0, 0xAF, 0x3C, 0x69, 0x6E, 0x2F, 0x3E],
        Body.utf8("<in") + [0] + Body.utf8("/>"),
        Body.utf8(#"<?xml version="1.0" encoding="x-nope"?><in/>"#),
        Body.utf8(#"<?xml version="1.0" encoding="UTF-16"?><in/>"#),
        Body.utf16LE("<in/>", bom: false),
        Body.utf8("<in><request><call_consult conversation_id=\"\u{1}\"/>"),
        Body.utf8(#"<in xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="/etc/passwd" parse="text"/></in>"#),
        Body.utf8("<a:in/>"),
        Body.utf8("<in><![CDATA[ unterminated"),
        Body.utf8("<in><!-- unterminated"),
        Body.utf8("<in attr='1' attr='2'/>"),
        Body.utf8("&#x110000;"),
        [0xFF, 0xFE, 0x3C, 0x00, 0x69],
        [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, 0x3C, 0x69, 0x6E, 0x2F, 0x3E],
    ]

    func testLibraryPrintsNothing() {
        let printed = capturingStandardError {
            for body in Self.hostileBodies + ConcurrencyTests.corpus {
                _ = decodeRequest(body)
                _ = decodeResponse(body)
            }
        }
        XCTAssertEqual(printed, "", "the library wrote to standard error")
    }

    func testHostileBodiesGiveTypedErrorsWithPositions() {
        for body in Self.hostileBodies {
            guard case .failure(let error) = decodeRequest(body) else {
                XCTFail("accepted \(body)")
                continue
            }
            XCTAssertNotEqual(error.kind, .internalFailure, "\(error)")
            XCTAssertFalse(error.issues.isEmpty)
            XCTAssertLessThanOrEqual(error.issues.count, 64)
        }
    }
}
