import CallConsultKit
import Foundation
import Logging

/// Sending a command: the exchange, the one resend after a lost session, and what an answer
/// means.
extension ECSSClient {
    /// What a command's answer means.
    enum CommandOutcome: Sendable {
        /// An `<out>` document, ok or error reply, whatever the status (for `monitor`, 2xx or 404).
        case answer(Answer)
        /// 401 or 403 with a body that is certainly not an `<out>` document (plain text, HTML): the
        /// session was lost, the command not carried out.
        case sessionLost
        /// Anything else.
        case failure(ECSSClientError)
    }

    /// Logs in if needed, sends `body` as `progress.command`, and sends it once more after one new
    /// login if the answer says the session was lost.
    func sendOnce(_ body: [UInt8], deadline: ContinuousClock.Instant, progress: CommandProgress, logger: Logger)
        async throws -> Answer
    {
        let command = progress.command
        var loggedInAgain = false
        while true {
            let current = try await currentSession(deadline: deadline, progress: progress, logger: logger)
            let login = current.login
            logger.debug(
                "ecss \(command)",
                metadata: [
                    "ecss.command": .string(command.rawValue), "ecss.attempt": .stringConvertible(loggedInAgain ? 2 : 1),
                ])
            let reply = try await exchange(
                command, body: body, cookie: cookie(for: command, in: login), jar: login.jar, deadline: deadline,
                progress: progress, logger: logger)
            switch classify(reply, command: command, secrets: secrets(login.jar), afterNewLogin: loggedInAgain) {
            case .answer(let answer):
                logger.debug(
                    "ecss \(command) answered",
                    metadata: [
                        "ecss.command": .string(command.rawValue), "ecss.status": .stringConvertible(answer.status),
                        "ecss.response": .string(answer.response == .ok ? "ok" : "error"),
                    ])
                return answer
            case .failure(let error):
                logger.debug(
                    "ecss \(command) failed",
                    metadata: [
                        "ecss.command": .string(command.rawValue), "ecss.status": .stringConvertible(reply.status),
                        "ecss.error.kind": .string(error.kind.code),
                    ])
                throw error
            case .sessionLost:
                logger.debug(
                    "ecss session lost; logging in again",
                    metadata: ["ecss.command": .string(command.rawValue), "ecss.status": .stringConvertible(reply.status)])
                progress.mayHaveBeenDelivered = false
                loggedInAgain = true
                instruments.relogin(command: command)
                await session.invalidate(generation: current.generation)
            }
        }
    }

    /// What `reply` to `command` means. An `<out>` document is an answer whatever its status;
    /// 401 or 403 with a body that is certainly not one (``mayBeOut(_:_:)``) is a lost session (a
    /// failure when it comes right after a new login), with one that may be one an invalid
    /// response, never resent; an XML answer of status 2xx or 403 that is not a valid `<out>` is
    /// an invalid response; anything else (another status, HTML, plain text) is an unexpected
    /// status. `monitor`, which has no `<out>`, is read by ``classifyMonitor(_:secrets:afterNewLogin:)``.
    func classify(_ reply: Reply, command: CommandName, secrets: @autoclosure () -> [String], afterNewLogin: Bool)
        -> CommandOutcome
    {
        guard command.hasResponseDocument else {
            return classifyMonitor(reply, secrets: secrets(), afterNewLogin: afterNewLogin)
        }
        let error: DocumentError
        do {
            return .answer(Answer(status: reply.status, response: try codec.decodeResponse(reply.body, command: command)))
        } catch let refusal {
            error = refusal
        }
        if reply.status == 401 || reply.status == 403 {
            // Only an answer that is certainly not an `<out>` means a lost session. One that may
            // be ECSS-10's answer (an `<out>` the schema refuses, or one the limits stopped) is
            // never resent: the command may have been carried out.
            if Self.mayBeOut(reply.body, error) {
                return .failure(Self.invalidResponse(command, reply, error, secrets: secrets()))
            }
            guard afterNewLogin else { return .sessionLost }
            return .failure(
                Self.unexpectedStatus(
                    command, reply,
                    "\(command) was refused with status \(reply.status) and no <out> answer right after a new login",
                    delivered: false, secrets: secrets()))
        }
        if (200..<300).contains(reply.status) && Self.isXML(reply.contentType) {
            return .failure(Self.invalidResponse(command, reply, error, secrets: secrets()))
        }
        return .failure(
            Self.unexpectedStatus(
                command, reply,
                "ECSS-10 answered \(command) with status \(reply.status)"
                    + (reply.contentType.map { " (\($0))" } ?? "") + ", not an <out> document",
                delivered: true, secrets: secrets()))
    }

    /// What `reply` to `monitor` means: it has no `<out>`. Any 2xx, with any body or none, is ok;
    /// 404 is an event ECSS-10 does not know (``MonitorResult/unknownEventReply``); 401 or 403 is
    /// a lost session as for the other commands, unless `<out` occurs in its body (then it may be
    /// ECSS-10's answer: never resent); anything else is an unexpected status.
    func classifyMonitor(_ reply: Reply, secrets: @autoclosure () -> [String], afterNewLogin: Bool) -> CommandOutcome {
        switch reply.status {
        case 200..<300:
            return .answer(Answer(status: reply.status, response: .ok))
        case 404:
            return .answer(Answer(status: reply.status, response: .error(MonitorResult.unknownEventReply)))
        case 401, 403:
            if Self.containsOutTag(reply.body) {
                return .failure(
                    Self.unexpectedStatus(
                        .monitor, reply, "ECSS-10 answered monitor with status \(reply.status) and an <out> document",
                        delivered: true, secrets: secrets()))
            }
            guard afterNewLogin else { return .sessionLost }
            return .failure(
                Self.unexpectedStatus(
                    .monitor, reply, "monitor was refused with status \(reply.status) right after a new login",
                    delivered: false, secrets: secrets()))
        default:
            return .failure(
                Self.unexpectedStatus(
                    .monitor, reply,
                    "ECSS-10 answered monitor with status \(reply.status)" + (reply.contentType.map { " (\($0))" } ?? ""),
                    delivered: true, secrets: secrets()))
        }
    }

    /// Whether a body the codec refused with `error` may be an `<out>` document: it is when the
    /// schema refused it (its root is `out`) or the codec could not tell (the body is over the size
    /// limit, a safety rule stopped the parse, the validator failed) and `<out` occurs in the bytes
    /// read. Not well-formed text (plain text, an empty body) and another root (HTML) are not.
    static func mayBeOut(_ body: [UInt8], _ error: DocumentError) -> Bool {
        switch error.kind {
        case .notValid: return true
        case .notWellFormed, .wrongRoot: return false
        default: return containsOutTag(body)
        }
    }

    /// Whether `<out` occurs in `body` as the start of a tag: `<out>`, `<out/>`, `<out ` (with
    /// attributes), or `<out` at the end (cut by the limit).
    static func containsOutTag(_ body: [UInt8]) -> Bool {
        let tag = Array("<out".utf8)
        var index = body.startIndex
        while let start = body[index...].firstIndex(of: UInt8(ascii: "<")) {
            let end = start + tag.count
            if end <= body.count, body[start..<end].elementsEqual(tag) {
                guard end < body.count else { return true }
                if [UInt8(ascii: ">"), UInt8(ascii: "/"), 0x20, 0x09, 0x0A, 0x0D].contains(body[end]) { return true }
            }
            index = start + 1
        }
        return false
    }

    /// Whether a `Content-Type` is XML (`application/xml`, `text/xml`, `…+xml`), or absent.
    static func isXML(_ contentType: String?) -> Bool {
        guard let contentType else { return true }
        let media = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return media == "application/xml" || media == "text/xml" || media.hasSuffix("+xml")
    }
}
