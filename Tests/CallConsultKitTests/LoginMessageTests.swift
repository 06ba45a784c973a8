import CallConsultKit
import XCTest

/// The login messages: encoded and decoded against the bundled login.xsd, on the same engine and
/// with the same safety as call_consult, and the API key kept out of every text.
final class LoginMessageTests: XCTestCase {
    private static let secret = "s3cr3t-KEY-do-not-print"
    private static let login = LoginRequest(clientID: "crm-1", apiKey: secret, phoneNumber: "1001")

    func testLoginRequestIsExactAndRoundTrips() throws {
        let body = try codec.encode(Self.login)
        XCTAssertEqual(
            String(decoding: body, as: UTF8.self),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<in><request client_id=\"crm-1\" api_key=\"\(Self.secret)\" phone_number=\"1001\"/></in>\n"
        )
        XCTAssertEqual(try codec.decodeLoginRequest(body), Self.login)
        let hostile = LoginRequest(clientID: "a&b<c>\"d\"", apiKey: "k\t\n'\"&", phoneNumber: "+7 (495) 000-00-00")
        XCTAssertEqual(try codec.decodeLoginRequest(codec.encode(hostile)), hostile)
    }

    func testLoginResponseIsExactAndDecodes() throws {
        XCTAssertEqual(
            String(decoding: codec.encode(LoginResponse.ok), as: UTF8.self),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<out><response><ok/></response></out>\n")
        let vendor = codec.encode(LoginResponse.ok, declaringSchemaLocation: true)
        XCTAssertEqual(
            String(decoding: vendor, as: UTF8.self),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<out xmlns:xs=\"http://www.w3.org/2001/XMLSchema-instance\" xs:noNamespaceSchemaLocation=\"login.xsd\"><response><ok/></response></out>\n"
        )
        XCTAssertEqual(try codec.decodeLoginResponse(vendor), .ok)
        XCTAssertEqual(try codec.decodeLoginResponse(Body.utf8("<out><response><ok>any</ok></response></out>")), .ok)
    }

    func testCallConsultAnswersCarryTheVendorsSchemaLocationOnRequest() throws {
        let ok = try codec.encode(CommandResponse.ok, declaringSchemaLocation: true)
        XCTAssertTrue(
            String(decoding: ok, as: UTF8.self).contains(
                #"<out xmlns:xs="http://www.w3.org/2001/XMLSchema-instance" xs:noNamespaceSchemaLocation="call_consult.xsd"><response><ok/>"#
            ))
        XCTAssertEqual(try codec.decodeResponse(ok), .ok)
        let reply = ErrorReply(reason: "cannot_perform_cmd", command: "call_consult", body: "timeout")
        let error = try codec.encode(CommandResponse.error(reply), declaringSchemaLocation: true)
        XCTAssertEqual(try codec.decodeResponse(error), .error(reply))
        XCTAssertEqual(
            String(decoding: error, as: UTF8.self),
            #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
                + #"<out xmlns:xs="http://www.w3.org/2001/XMLSchema-instance" xs:noNamespaceSchemaLocation="call_consult.xsd">"#
                + #"<error reason="cannot_perform_cmd" cmd="call_consult" body="timeout"/></out>"# + "\n")
        let family = try codec.encode(CommandResponse.error(reply), command: .callConsult, declaringSchemaLocation: true)
        XCTAssertEqual(error, family)
    }

    func testLoginBodiesAreValidatedAgainstLoginXSD() {
        let cases: [(String, String, DocumentError.Kind)] = [
            ("missing api_key", #"<in><request client_id="c" phone_number="1"/></in>"#, .notValid),
            ("an unknown attribute", #"<in><request client_id="c" api_key="k" phone_number="1" mode="x"/></in>"#, .notValid),
            ("a call_consult body", #"<in><request><call_consult conversation_id="1" to_number="2"/></request></in>"#, .notValid),
            ("an answer", "<out><response><ok/></response></out>", .wrongRoot),
            (
                "a DOCTYPE", #"<!DOCTYPE in [<!ENTITY k "x">]><in><request client_id="c" api_key="&k;" phone_number="1"/></in>"#,
                .refusedByPolicy
            ),
            ("truncated", #"<in><request client_id="c""#, .notWellFormed),
        ]
        for (label, xml, kind) in cases {
            assertRefused(Result { () throws(DocumentError) in try codec.decodeLoginRequest(Body.utf8(xml)) }, kind, label)
        }
        // A call_consult request is not a login, and a login is not a call_consult request.
        let login = (try? codec.encode(Self.login)) ?? []
        assertRefused(decodeRequest(login), .notValid, "a login as call_consult")
        assertRefused(
            Result { () throws(DocumentError) in try codec.decodeLoginResponse(Body.utf8(#"<out><error reason="r"/></out>"#)) },
            .notValid, "login.xsd has no error answer")
        assertRefused(
            Result { () throws(DocumentError) in
                try CallConsultCodec(limits: DecodingLimits(maxBodyBytes: 10)).decodeLoginRequest(login)
            }, .tooLarge, "limits apply")
    }

    func testTheAPIKeyIsInNoDescriptionDumpOrError() throws {
        var dumped = ""
        dump(Self.login, to: &dumped)
        let texts = [
            Self.login.description, Self.login.debugDescription, "\(Self.login)", String(reflecting: Self.login), dumped,
            "\([Self.login])", "\(Optional(Self.login) as Any)",
        ]
        for text in texts {
            XCTAssertFalse(text.contains(Self.secret), text)
            XCTAssertFalse(text.contains("s3cr3t"), text)
        }
        XCTAssertTrue(Self.login.description.contains("apiKey: ***"), Self.login.description)
        XCTAssertTrue(dumped.contains("crm-1"), dumped)

        // Errors from login bodies quote nothing of the key, even where libxml2 quotes the document.
        let bodies: [[UInt8]] = [
            Body.utf8(#"<in><request client_id="c" api_key="&s3cr3tEntity;" phone_number="1"/></in>"#),
            Array(#"<in><request client_id="c" api_key="s3cr3t"#.utf8) + [0xF0, 0x28, 0x8C, 0x28]
                + Array(#"" phone_number="1"/></in>"#.utf8),
            Body.utf8(#"<in><request client_id="c" api_key="s3cr3t" phone_number="1" mode="x"/></in>"#),
        ]
        for body in bodies {
            do {
                _ = try codec.decodeLoginRequest(body)
                XCTFail("decoded \(body)")
            } catch {
                XCTAssertFalse("\(error)".contains("s3cr3t"), "\(error)")
                XCTAssertFalse("\(error)".contains("0x28"), "\(error)")
            }
        }
    }

    func testEncodingErrorsNameTheAttributeNotTheValue() {
        let login = LoginRequest(clientID: "c", apiKey: "s3cr3t\u{1}", phoneNumber: "1")
        XCTAssertThrowsError(try codec.encode(login)) { error in
            XCTAssertFalse("\(error)".contains("s3cr3t"), "\(error)")
            XCTAssertEqual((error as? EncodingError)?.attribute, "api_key")
        }
    }
}
