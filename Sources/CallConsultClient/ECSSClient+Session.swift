import CallConsultKit
import Foundation
import Logging

/// Logging in: the login exchange, what its answer means, and the cookies it sets.
extension ECSSClient {
    /// The current session, logging in (or waiting for the login in flight) when there is none;
    /// `progress` knows a login is under way meanwhile (a timeout then names the login).
    func currentSession(deadline: ContinuousClock.Instant, progress: CommandProgress, logger: Logger) async throws
        -> ClientSession.Session
    {
        if let established = session.established { return established }
        progress.loggingIn = true
        let current = try await session.session {
            let jar: CookieJar
            do {
                jar = try await self.performLogin(deadline: deadline, logger: logger)
                self.instruments.login(outcome: "ok")
            } catch let error as ECSSClientError {
                self.instruments.login(outcome: error.kind.code)
                throw error
            }
            return ClientSession.LoggedIn(jar: jar, cookies: self.commandCookies(from: jar, now: Self.now()))
        }
        progress.loggingIn = false
        return current
    }

    /// The `Cookie` headers of the commands, from `jar` at `now` (seconds since the epoch).
    func commandCookies(from jar: CookieJar, now: Int64) -> CommandCookies {
        CommandCookies(
            jar: jar, host: endpoint.host, directory: endpoint.commandDirectory, secure: endpoint.isSecure, now: now)
    }

    /// The `Cookie` header `command` carries in the session `login`: the one made at the login
    /// while its cookies all hold, one made from the jar now once the first has expired.
    func cookie(for command: CommandName, in login: ClientSession.LoggedIn) -> String? {
        let now = Self.now()
        if now < login.cookies.validUntil { return login.cookies.header(for: command) }
        return login.jar.header(
            host: endpoint.host, path: endpoint.path(of: command.rawValue), secure: endpoint.isSecure, now: now)
    }

    /// Seconds since the Unix epoch.
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    /// POSTs the login and returns the cookies its answer set.
    ///
    /// 200 with `<out><response><ok/></response></out>` is a session; 401 or 403 (ECSS-10 answers
    /// a refusal with 403 and plain text) is ``ECSSClientError/Kind/authentication``; a 200 that
    /// is not that document is ``ECSSClientError/Kind/invalidResponse``; any other status is
    /// ``ECSSClientError/Kind/unexpectedStatus``.
    func performLogin(deadline: ContinuousClock.Instant, logger: Logger) async throws -> CookieJar {
        let body = try codec.encode(configuration.credentials)
        logger.debug(
            "ecss login", metadata: ["ecss.command": "login", "ecss.client_id": .string(configuration.credentials.clientID)])
        let reply = try await exchange(
            .login, body: body, cookie: nil, jar: nil, deadline: deadline, progress: nil, logger: logger)
        let secrets = secrets()
        switch reply.status {
        case 200:
            do {
                _ = try codec.decodeLoginResponse(reply.body)
            } catch {
                logger.debug(
                    "ecss login answer invalid",
                    metadata: ["ecss.command": "login", "ecss.status": "200", "ecss.error.kind": "invalid_response"])
                throw Self.invalidResponse(.login, reply, error, secrets: secrets)
            }
        case 401, 403:
            logger.debug(
                "ecss login refused", metadata: ["ecss.command": "login", "ecss.status": .stringConvertible(reply.status)])
            let text = Excerpt.make(reply.body, hiding: secrets)
            throw ECSSClientError(
                kind: .authentication, status: reply.status,
                message: "login refused" + (text.isEmpty ? "" : ": \(text)"), mayHaveBeenDelivered: false,
                contentType: reply.contentType, bodyExcerpt: text)
        default:
            logger.debug(
                "ecss login answer unexpected",
                metadata: ["ecss.command": "login", "ecss.status": .stringConvertible(reply.status)])
            throw Self.unexpectedStatus(
                .login, reply, "ECSS-10 answered the login with status \(reply.status)", delivered: false, secrets: secrets)
        }
        var jar = CookieJar()
        let refused = jar.store(
            setCookieHeaders: reply.setCookies, host: endpoint.host, requestPath: endpoint.path(of: CommandName.login.rawValue),
            now: Self.now())
        for name in refused {
            logger.trace(
                "ecss cookie refused: its domain is not the server's",
                metadata: ["ecss.command": "login", "ecss.cookie.name": .string(name)])
        }
        logger.debug(
            "ecss logged in",
            metadata: [
                "ecss.command": "login", "ecss.status": "200", "ecss.cookies": .array(jar.cookies.map { .string($0.name) }),
            ])
        return jar
    }

    /// ``ECSSClientError/Kind/invalidResponse`` for an answer the codec refused.
    static func invalidResponse(_ command: CommandName, _ reply: Reply, _ error: DocumentError, secrets: [String])
        -> ECSSClientError
    {
        let hidden = DocumentError(
            kind: error.kind,
            issues: error.issues.map {
                var issue = $0
                issue.message = Excerpt.hide(secrets, in: issue.message)
                return issue
            })
        let what = error.kind == .tooLarge ? "is larger than the size limit" : "is not a valid <out> document"
        return ECSSClientError(
            kind: .invalidResponse, status: reply.status,
            message: "the \(command) answer \(what) (\(error.kind.code))", mayHaveBeenDelivered: command != .login,
            contentType: reply.contentType, bodyExcerpt: Excerpt.make(reply.body, hiding: secrets), cause: hidden)
    }

    /// ``ECSSClientError/Kind/unexpectedStatus`` with the answer's status, content type and start.
    static func unexpectedStatus(_ command: CommandName, _ reply: Reply, _ message: String, delivered: Bool, secrets: [String])
        -> ECSSClientError
    {
        ECSSClientError(
            kind: .unexpectedStatus, status: reply.status, message: message, mayHaveBeenDelivered: delivered,
            contentType: reply.contentType, bodyExcerpt: Excerpt.make(reply.body, hiding: secrets))
    }
}
