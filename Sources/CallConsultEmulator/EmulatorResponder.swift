import CallConsultKit
import Foundation
import Hummingbird
import Logging
import NIOCore

/// Answers every request the emulator receives: finds the route, checks domain, method, session
/// and body, asks the decision for any command of the family, records the exchange and logs it.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
struct EmulatorResponder: HTTPResponder {
    typealias Context = EmulatorContext

    let emulator: ECSSEmulator
    /// The codec every body is decoded with, made once.
    let codec: CallConsultCodec
    /// The admin API, when ``ECSSEmulator/Configuration/adminAPI`` enables it.
    let admin: AdminResponder?

    init(emulator: ECSSEmulator) {
        self.emulator = emulator
        self.codec = CallConsultCodec(limits: emulator.configuration.limits)
        self.admin = emulator.configuration.adminAPI ? AdminResponder(emulator: emulator) : nil
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let time = Date()
        let route = Route(request)
        // The admin API's one check: a path the data plane would refuse as unknown, or one whose
        // domain segment is `__admin`, that starts with `/__admin/`.
        if let admin, AdminResponder.isAdmin(route) {
            return await admin.respond(to: request)
        }
        if let refusal = refusalBeforeBody(request, route) {
            return record(time, route, .refused(refusal), Answer.refusal(refusal))
        }
        switch route.command {
        case .named(let command) where !emulator.stubStore.isEmpty:
            return try await stubbed(request, command: command, route: route, time: time, channel: context.channel)
        case .named(.login):
            let (outcome, response) = try await login(request, domain: route.domain)
            return record(time, route, outcome, response)
        case .named(let command):
            let (outcome, response) = try await answer(request, command: command, domain: route.domain)
            return record(time, route, outcome, response)
        case .other:
            return record(time, route, .refused(.unknownPath), Answer.refusal(.unknownPath))
        }
    }

    /// Records the exchange (status 0 when `status` says none was sent), hands it to
    /// `onExchange`, logs it at debug, and returns `response`.
    @discardableResult
    func record(
        _ time: Date, _ route: Route, _ outcome: ECSSEmulator.Outcome, _ response: Response, status: Int? = nil,
        stub: String? = nil
    ) -> Response {
        let exchange = emulator.log.append(
            ECSSEmulator.Exchange(
                time: time, domain: route.domain, command: route.command, outcome: outcome,
                status: status ?? Int(response.status.code), stub: stub))
        emulator.onExchange?(exchange)
        emulator.instruments.count(exchange)
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
        case .faulted(let kind, _, _): metadata["ecss.fault"] = "\(kind.rawValue)"
        }
        if let stub = exchange.stub { metadata["ecss.stub"] = "\(stub)" }
        return metadata
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
        switch try await decoded(request, command: .login) {
        case .failure(let refusal): (.refused(refusal), Answer.refusal(refusal))
        case .success(let login): await carryOut(login, domain: domain)
        }
    }

    /// A command's request (any but `login`) of a live session: decoded against the command's
    /// schema, and answered as the decision says.
    private func answer(_ request: Request, command: CommandName, domain: String) async throws -> (
        ECSSEmulator.Outcome, Response
    ) {
        switch try await decoded(request, command: command) {
        case .failure(let refusal): (.refused(refusal), Answer.refusal(refusal))
        case .success(let decoded): await carryOut(decoded, domain: domain)
        }
    }

    /// A body decoded, or refused.
    enum Decoded {
        case success(ECSSRequest)
        case failure(ECSSEmulator.Refusal)
    }

    /// The body decoded as a request of `command`, or the refusal of a body too large or not a
    /// valid request (for `login`, not a valid login).
    func decoded(_ request: Request, command: CommandName) async throws -> Decoded {
        guard let body = try await collectBody(request) else {
            return .failure(.tooLarge(maxBodyBytes: emulator.configuration.limits.maxBodyBytes))
        }
        do {
            // call_consult, the most frequent, without the lookup of the command's capture.
            switch command {
            case .callConsult: return .success(.callConsult(try codec.decodeRequest(body.readableBytesView)))
            case .login: return .success(.login(try codec.decodeLoginRequest(body.readableBytesView)))
            default: return .success(try codec.decodeRequest(body.readableBytesView, command: command))
            }
        } catch {
            return .failure(command == .login ? .invalidLogin(error) : .invalidRequest(error))
        }
    }

    /// A login checked against the accepted credentials: a new session, or the refusal.
    private func logIn(_ login: LoginRequest, domain: String) -> (ECSSEmulator.Outcome, Response) {
        guard emulator.configuration.accepts(login) else {
            return (.refused(.invalidCredentials(login)), Answer.refusal(.invalidCredentials(login)))
        }
        let token = emulator.sessions.open(domain: domain)
        return (.loggedIn(login), Answer.loggedIn(cookie: token, domain: domain))
    }

    /// A valid request carried out: a login checked, `monitor`'s events checked, the decision
    /// asked (unless `answer` is given: a stub's), and the answer made (with `status` when given).
    func carryOut(
        _ decoded: ECSSRequest, domain: String, answer: CommandResponse? = nil, status: Int? = nil
    ) async -> (ECSSEmulator.Outcome, Response) {
        if case .login(let login) = decoded { return logIn(login, domain: domain) }
        let command = decoded.command
        var outcome: ECSSEmulator.Outcome
        var response: Response
        if case .monitor(let monitor) = decoded {
            if let known = emulator.configuration.monitorEvents,
                let unknown = monitor.eventNames.first(where: { !known.contains($0) })
            {
                return (.refused(.unknownEvent(name: unknown)), Answer.refusal(.unknownEvent(name: unknown)))
            }
            let decision = if let answer { answer } else { await emulator.decide(decoded, domain) }
            (outcome, response) = (.answered(decoded, decision), Answer.monitor(decision))
        } else {
            let decision = if let answer { answer } else { await emulator.decide(decoded, domain) }
            (outcome, response) = (.answered(decoded, decision), Answer.decision(decision, command: command, codec: codec))
        }
        if let status { response.status = .init(code: status) }
        return (outcome, response)
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
