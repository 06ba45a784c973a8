import CallConsultKit
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore

/// Every answer the emulator writes, built in one place: refusals (with their status and text),
/// the login's `<out>` and cookie, and decisions.
///
/// The bodies and headers that never change are made once and shared by every answer: a
/// `ByteBuffer` is copied on write, and the server only reads it.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
enum Answer {
    static let invalidCredentials = "Invalid credentials"
    static let sessionNotValid = "Session is not valid"

    /// A refusal: its ``ECSSEmulator/Refusal/httpStatus`` and a plain-text body.
    static func refusal(_ refusal: ECSSEmulator.Refusal) -> Response {
        let body: ByteBuffer
        switch refusal {
        case .invalidCredentials, .invalidLogin: body = Constant.invalidCredentials
        case .noSession, .sessionExpired: body = Constant.sessionNotValid
        case .unknownDomain: body = Constant.unknownDomain
        case .unknownPath: body = Constant.unknownPath
        case .unknownEvent: body = ByteBuffer(string: Self.body(of: refusal))
        case .methodNotAllowed: body = Constant.methodNotAllowed
        case .invalidRequest, .tooLarge: body = ByteBuffer(string: Self.body(of: refusal))
        }
        var response = Response(
            status: .init(code: refusal.httpStatus), headers: Constant.textHeaders, body: .init(byteBuffer: body))
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
        case .unknownEvent(let name): "Unknown event: \(name)\n"
        }
    }

    /// 200, the login `<out>` ok declaring `login.xsd`, and the session cookie.
    static func loggedIn(cookie: String, domain: String) -> Response {
        var response = xml(200, Constant.loginOK)
        response.headers[.setCookie] =
            "\(ECSSEmulator.sessionCookieName)=\(cookie); Path=/\(domain)/service/cc/arm; HttpOnly"
        return response
    }

    /// The decision on a command, encoded declaring the command's schema, with the command's
    /// status (200 for ok; `CommandName.errorStatus` for an error). A reply XML cannot carry (a
    /// control character in a reason the decision made up) is answered 500 with the encoder's
    /// message, which names the attribute only.
    static func decision(_ decision: CommandResponse, command: CommandName, codec: CallConsultCodec) -> Response {
        if decision == .ok, let ok = command == .callConsult ? Constant.ok : Constant.okBodies[command] {
            return xml(200, ok)
        }
        do {
            return xml(
                decision.httpStatus(for: command),
                ByteBuffer(bytes: try codec.encode(decision, command: command, declaringSchemaLocation: true)))
        } catch {
            return Response(
                status: .init(code: 500), headers: Constant.textHeaders,
                body: .init(byteBuffer: ByteBuffer(string: "\(error)\n")))
        }
    }

    /// `monitor`'s answer: 200 with no body for ok, 404 with the reason for an error.
    static func monitor(_ decision: CommandResponse) -> Response {
        switch decision {
        case .ok: Response(status: .ok)
        case .error(let reply):
            Response(
                status: .notFound, headers: Constant.textHeaders,
                body: .init(byteBuffer: ByteBuffer(string: "\(reply.reason)\n")))
        }
    }

    /// An `http` fault's answer: its status, content type (default `text/plain; charset=utf-8`),
    /// extra header fields and body.
    static func http(_ fault: ECSSEmulator.Fault) -> Response {
        var headers = Constant.textHeaders
        if let type = fault.contentType { headers[.contentType] = type }
        for (name, value) in fault.headers.sorted(by: { $0.key < $1.key }) {
            if let name = HTTPFields.Element.Name(name) { headers.append(HTTPFields.Element(name: name, value: value)) }
        }
        return Response(
            status: .init(code: fault.status ?? 500), headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: fault.body ?? "")))
    }

    /// The bytes a response body writes.
    static func bytes(of body: ResponseBody) async -> ByteBuffer {
        let collector = Collector()
        try? await body.write(collector)
        return collector.buffer.withLockedValue { $0 }
    }

    /// A body writer that keeps what is written.
    private struct Collector: ResponseBodyWriter {
        let buffer = NIOLockedValueBox(ByteBuffer())

        func write(_ part: ByteBuffer) async throws {
            buffer.withLockedValue { buffer in
                var part = part
                buffer.writeBuffer(&part)
            }
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    private static func xml(_ status: Int, _ body: ByteBuffer) -> Response {
        Response(status: .init(code: status), headers: Constant.xmlHeaders, body: .init(byteBuffer: body))
    }

    /// The answers' parts that never change, made on first use.
    private enum Constant {
        static let textHeaders: HTTPFields = [.contentType: "text/plain; charset=utf-8"]
        static let xmlHeaders: HTTPFields = [.contentType: CommandResponse.contentType]
        static let invalidCredentials = ByteBuffer(string: Answer.invalidCredentials)
        static let sessionNotValid = ByteBuffer(string: Answer.sessionNotValid)
        static let unknownDomain = ByteBuffer(string: body(of: .unknownDomain))
        static let unknownPath = ByteBuffer(string: body(of: .unknownPath))
        static let methodNotAllowed = ByteBuffer(string: body(of: .methodNotAllowed(method: "")))
        static let loginOK = ByteBuffer(bytes: CallConsultCodec().encode(LoginResponse.ok, declaringSchemaLocation: true))
        /// `CommandResponse.ok` declaring `call_consult.xsd`: the answer to nearly every
        /// request (`nil` only if it could not be encoded, then each answer encodes it).
        static let ok = (try? CallConsultCodec().encode(CommandResponse.ok, declaringSchemaLocation: true))
            .map { ByteBuffer(bytes: $0) }
        /// `CommandResponse.ok` declaring each command's own schema.
        static let okBodies: [CommandName: ByteBuffer] = Dictionary(
            uniqueKeysWithValues: CommandName.allCases.compactMap { command in
                (try? CallConsultCodec().encode(CommandResponse.ok, command: command, declaringSchemaLocation: true))
                    .map { (command, ByteBuffer(bytes: $0)) }
            })
    }
}
