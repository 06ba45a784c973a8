import CallConsultKit
import Hummingbird
import NIOCore

/// Every answer the emulator writes, built in one place: refusals (with their status and text),
/// the login's `<out>` and cookie, and decisions.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
enum Answer {
    static let invalidCredentials = "Invalid credentials"
    static let sessionNotValid = "Session is not valid"

    /// A refusal: its ``ECSSEmulator/Refusal/httpStatus`` and a plain-text body.
    static func refusal(_ refusal: ECSSEmulator.Refusal) -> Response {
        var response = text(refusal.httpStatus, body(of: refusal))
        if case .methodNotAllowed = refusal {
            response.headers[.allow] = "POST"
        }
        return response
    }

    /// The text of a refusal: a document error's text with its kind's code first, or a short
    /// sentence; never a credential.
    static func body(of refusal: ECSSEmulator.Refusal) -> String {
        switch refusal {
        case .invalidCredentials, .invalidLogin: invalidCredentials
        case .noSession, .sessionExpired: sessionNotValid
        case .invalidRequest(let error): "\(error)\n"
        case .tooLarge(let limit):
            "\(DocumentError.Kind.tooLarge.code)\n  the body is over \(limit) bytes (DecodingLimits.maxBodyBytes)\n"
        case .unknownDomain: "Unknown domain\n"
        case .unknownPath: "Not found\n"
        case .methodNotAllowed: "Method not allowed: use POST\n"
        }
    }

    /// 200, the login `<out>` ok declaring `login.xsd`, and the session cookie.
    static func loggedIn(codec: CallConsultCodec, cookie: String, domain: String) -> Response {
        var response = xml(200, codec.encode(LoginResponse.ok, declaringSchemaLocation: true))
        response.headers[.setCookie] =
            "\(ECSSEmulator.sessionCookieName)=\(cookie); Path=/\(domain)/service/cc/arm; HttpOnly"
        return response
    }

    /// The decision, encoded declaring `call_consult.xsd`: 200 or 403. A reply XML cannot carry
    /// (a control character in a reason the decision made up) is answered 500 with the encoder's
    /// message, which names the attribute only.
    static func decision(_ decision: CallConsultResponse, codec: CallConsultCodec) -> Response {
        do {
            return xml(decision.httpStatus, try codec.encode(decision, declaringSchemaLocation: true))
        } catch {
            return text(500, "\(error)\n")
        }
    }

    private static func xml(_ status: Int, _ bytes: [UInt8]) -> Response {
        Response(
            status: .init(code: status), headers: [.contentType: CallConsultResponse.contentType],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private static func text(_ status: Int, _ text: String) -> Response {
        Response(
            status: .init(code: status), headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
