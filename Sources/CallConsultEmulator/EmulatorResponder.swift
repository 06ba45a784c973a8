import CallConsultKit
import Foundation
import Hummingbird
import Logging
import NIOCore

/// Answers every request the emulator receives: finds the route, checks domain, method, session
/// and body, asks the decision for any command of the family, records the exchange and logs it.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
struct EmulatorResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let emulator: ECSSEmulator
    /// The codec every body is decoded with, made once.
    let codec: CallConsultCodec

    init(emulator: ECSSEmulator) {
        self.emulator = emulator
        self.codec = CallConsultCodec(limits: emulator.configuration.limits)
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let time = Date()
        let route = Route(request)
        let (outcome, response) = try await answer(request, route)
        let exchange = ECSSEmulator.Exchange(
            time: time, domain: route.domain, command: route.command, outcome: outcome,
            status: Int(response.status.code))
        emulator.log.append(exchange)
        emulator.onExchange?(exchange)
        // The line's metadata is built only when the logger writes the line.
        if emulator.logger.logLevel <= .debug {
            emulator.logger.debug("ECSS-10 exchange", metadata: Self.metadata(of: exchange))
        }
        return response
    }

    /// The `ecss.` keys of an exchange's log line.
    private static func metadata(of exchange: ECSSEmulator.Exchange) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "ecss.domain": "\(exchange.domain)", "ecss.command": "\(exchange.command)",
            "ecss.status": "\(exchange.status)",
        ]
        switch exchange.outcome {
        case .answered(.callConsult(let consult), _): metadata["ecss.conversation_id"] = "\(consult.conversationID)"
        case .answered: break
        case .refused(let refusal): metadata["ecss.refusal"] = "\(refusal.code)"
        case .loggedIn(let login): metadata["ecss.client_id"] = "\(login.clientID)"
        }
        return metadata
    }

    /// What the request comes to, and its answer.
    private func answer(_ request: Request, _ route: Route) async throws -> (ECSSEmulator.Outcome, Response) {
        if let refusal = refusalBeforeBody(request, route) {
            return (.refused(refusal), Answer.refusal(refusal))
        }
        switch route.command {
        case .named(.login): return try await login(request, domain: route.domain)
        case .named(let command): return try await answer(request, command: command, domain: route.domain)
        case .other: return (.refused(.unknownPath), Answer.refusal(.unknownPath))
        }
    }

    /// The checks made on the head: path, domain, method, session, announced length.
    private func refusalBeforeBody(_ request: Request, _ route: Route) -> ECSSEmulator.Refusal? {
        if case .other = route.command { return .unknownPath }
        guard Route.isPlainName(route.domain), emulator.configuration.domain.map({ $0 == route.domain }) ?? true else {
            return .unknownDomain
        }
        guard request.method == .post else { return .methodNotAllowed(method: request.method.rawValue) }
        if case .named(let command) = route.command, command != .login {
            switch emulator.sessions.use(SessionCookie.token(in: request.headers), domain: route.domain) {
            case .live: break
            case .unknown: return .noSession
            case .expired: return .sessionExpired
            }
        }
        let limit = emulator.configuration.limits.maxBodyBytes
        if let announced = Self.announcedLength(request.headers), announced > limit {
            return .tooLarge(maxBodyBytes: limit)
        }
        return nil
    }

    /// The `Content-Length` as a number, as `Int(request.headers[.contentLength])` reads it without
    /// joining the fields into a string first: one field, its value; several join into a list
    /// (`a, b`) that is no number.
    static func announcedLength(_ fields: HTTPFields) -> Int? {
        var length: Int?
        var count = 0
        for field in fields where field.name == .contentLength {
            count += 1
            length = Int(field.value)
        }
        return count == 1 ? length : nil
    }

    private func login(_ request: Request, domain: String) async throws -> (ECSSEmulator.Outcome, Response) {
        guard let body = try await collectBody(request) else {
            let refusal = ECSSEmulator.Refusal.tooLarge(maxBodyBytes: emulator.configuration.limits.maxBodyBytes)
            return (.refused(refusal), Answer.refusal(refusal))
        }
        let login: LoginRequest
        do {
            login = try codec.decodeLoginRequest(body.readableBytesView)
        } catch {
            return (.refused(.invalidLogin(error)), Answer.refusal(.invalidLogin(error)))
        }
        guard login == emulator.configuration.credentials else {
            return (.refused(.invalidCredentials(login)), Answer.refusal(.invalidCredentials(login)))
        }
        let token = emulator.sessions.open(domain: domain)
        return (.loggedIn(login), Answer.loggedIn(cookie: token, domain: domain))
    }

    /// A command's request (any but `login`) of a live session: decoded against the command's
    /// schema, and answered as the decision says.
    private func answer(_ request: Request, command: CommandName, domain: String) async throws -> (
        ECSSEmulator.Outcome, Response
    ) {
        guard let body = try await collectBody(request) else {
            let refusal = ECSSEmulator.Refusal.tooLarge(maxBodyBytes: emulator.configuration.limits.maxBodyBytes)
            return (.refused(refusal), Answer.refusal(refusal))
        }
        let decoded: ECSSRequest
        do {
            // call_consult, the most frequent, without the lookup of the command's capture.
            decoded =
                command == .callConsult
                ? .callConsult(try codec.decodeRequest(body.readableBytesView))
                : try codec.decodeRequest(body.readableBytesView, command: command)
        } catch {
            return (.refused(.invalidRequest(error)), Answer.refusal(.invalidRequest(error)))
        }
        if case .monitor(let monitor) = decoded {
            if let known = emulator.configuration.monitorEvents,
                let unknown = monitor.eventNames.first(where: { !known.contains($0) })
            {
                return (.refused(.unknownEvent(name: unknown)), Answer.refusal(.unknownEvent(name: unknown)))
            }
            let decision = await emulator.decide(decoded, domain)
            return (.answered(decoded, decision), Answer.monitor(decision))
        }
        let decision = await emulator.decide(decoded, domain)
        return (.answered(decoded, decision), Answer.decision(decision, command: command, codec: codec))
    }

    /// The body, kept up to the size limit only; `nil` as soon as its bytes pass the limit (the
    /// server reads the rest and drops it, never keeping it).
    private func collectBody(_ request: Request) async throws -> ByteBuffer? {
        do {
            return try await request.body.collect(upTo: emulator.configuration.limits.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            return nil
        }
    }
}
