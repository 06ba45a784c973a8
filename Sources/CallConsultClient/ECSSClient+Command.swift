import CallConsultKit
import Foundation
import Logging

/// Sending `call_consult`: the command exchange, the one resend after a lost session, and what
/// an answer means.
extension ECSSClient {
    /// What a `call_consult` answer means.
    enum CommandOutcome: Sendable {
        /// An `<out>` document, ok or error reply, whatever the status.
        case answer(Answer)
        /// 401 or 403 with a body that is certainly not an `<out>` document (plain text, HTML): the
        /// session was lost, the command not carried out.
        case sessionLost
        /// Anything else.
        case failure(ECSSClientError)
    }

    /// Logs in if needed, sends the command, and sends it once more after one new login if the
    /// answer says the session was lost.
    func sendOnce(_ body: [UInt8], deadline: ContinuousClock.Instant, progress: CommandProgress, logger: Logger)
        async throws -> Answer
    {
        var loggedInAgain = false
        while true {
            let current = try await currentSession(deadline: deadline, logger: logger)
            let login = current.login
            let now = Int64(Date().timeIntervalSince1970)
            let cookie =
                now < login.commandCookieValidUntil ? login.commandCookie : commandCookie(from: login.jar, now: now)
            logger.debug(
                "ecss call_consult",
                metadata: ["ecss.command": "call_consult", "ecss.attempt": .stringConvertible(loggedInAgain ? 2 : 1)])
            let reply = try await exchange(
                "call_consult", body: body, cookie: cookie, jar: login.jar, deadline: deadline, isCommand: true,
                progress: progress,
                logger: logger)
            switch classify(reply, secrets: secrets(login.jar), afterNewLogin: loggedInAgain) {
            case .answer(let answer):
                logger.debug(
                    "ecss call_consult answered",
                    metadata: [
                        "ecss.status": .stringConvertible(answer.status),
                        "ecss.response": .string(answer.response == .ok ? "ok" : "error"),
                    ])
                return answer
            case .failure(let error):
                logger.debug(
                    "ecss call_consult failed",
                    metadata: ["ecss.status": .stringConvertible(reply.status), "ecss.error.kind": .string(error.kind.code)])
                throw error
            case .sessionLost:
                logger.debug(
                    "ecss session lost; logging in again", metadata: ["ecss.status": .stringConvertible(reply.status)])
                progress.mayHaveBeenDelivered = false
                loggedInAgain = true
                await session.invalidate(generation: current.generation)
            }
        }
    }

    /// What `reply` to `call_consult` means. An `<out>` document is an answer whatever its
    /// status; 401 or 403 with a body that is certainly not one (``mayBeOut(_:_:)``) is a lost
    /// session (a failure when it comes right after a new login), with one that may be one an
    /// invalid response, never resent; an XML answer of status 2xx or 403 that is not a valid `<out>` is an invalid
    /// response; anything else (another status, HTML, plain text) is an unexpected status.
    func classify(_ reply: Reply, secrets: @autoclosure () -> [String], afterNewLogin: Bool) -> CommandOutcome {
        let error: DocumentError
        do {
            return .answer(Answer(status: reply.status, response: try codec.decodeResponse(reply.body)))
        } catch let refusal {
            error = refusal
        }
        if reply.status == 401 || reply.status == 403 {
            // Only an answer that is certainly not an `<out>` means a lost session. One that may
            // be ECSS-10's answer (an `<out>` the schema refuses, or one the limits stopped) is
            // never resent: the command may have been carried out.
            if Self.mayBeOut(reply.body, error) {
                return .failure(Self.invalidResponse("call_consult", reply, error, secrets: secrets()))
            }
            guard afterNewLogin else { return .sessionLost }
            return .failure(
                Self.unexpectedStatus(
                    "call_consult", reply,
                    "call_consult was refused with status \(reply.status) and no <out> answer right after a new login",
                    delivered: false, secrets: secrets()))
        }
        if (200..<300).contains(reply.status) && Self.isXML(reply.contentType) {
            return .failure(Self.invalidResponse("call_consult", reply, error, secrets: secrets()))
        }
        return .failure(
            Self.unexpectedStatus(
                "call_consult", reply,
                "ECSS-10 answered call_consult with status \(reply.status)"
                    + (reply.contentType.map { " (\($0))" } ?? "") + ", not an <out> document",
                delivered: true, secrets: secrets()))
    }

    /// Whether a body the codec refused with `error` may be an `<out>` document: it is when the
    /// schema refused it (its root is `out`) or the codec could not tell (the body is over the size
    /// limit, a safety rule stopped the parse, the validator failed) and `<out` occurs in the bytes
    /// read. Not well-formed text (plain text, an empty body) and another root (HTML) are not.
    static func mayBeOut(_ body: [UInt8], _ error: DocumentError) -> Bool {
        switch error.kind {
        case .notValid: return true
        case .notWellFormed, .wrongRoot: return false
        default:
            let tag = Array("<out".utf8)
            var index = body.startIndex
            while let start = body[index...].firstIndex(of: UInt8(ascii: "<")) {
                let end = start + tag.count
                if end <= body.count, body[start..<end].elementsEqual(tag) {
                    // `<out>`, `<out/>`, `<out ` (attributes) or `<out` cut by the limit.
                    guard end < body.count else { return true }
                    if [UInt8(ascii: ">"), UInt8(ascii: "/"), 0x20, 0x09, 0x0A, 0x0D].contains(body[end]) { return true }
                }
                index = start + 1
            }
            return false
        }
    }

    /// Whether a `Content-Type` is XML (`application/xml`, `text/xml`, `…+xml`), or absent.
    static func isXML(_ contentType: String?) -> Bool {
        guard let contentType else { return true }
        let media = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return media == "application/xml" || media == "text/xml" || media.hasSuffix("+xml")
    }
}
