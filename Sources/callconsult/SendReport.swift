import CallConsultClient
import CallConsultKit

/// How `callconsult send` words the outcome of one request, as text or as one JSON line.
enum SendReport {
    /// The worst outcome so far, which decides the exit status.
    enum Summary: Comparable {
        /// Every answer was ok: exit 0.
        case allOK
        /// An answer was an error reply: exit 1.
        case someRefused
        /// A request failed: exit 3.
        case someFailed

        func adding(_ outcome: Result<ECSSClient.Answer, ECSSClientError>) -> Summary {
            switch outcome {
            case .success(let answer): max(self, answer.response == .ok ? .allOK : .someRefused)
            case .failure: .someFailed
            }
        }
    }

    /// The JSON object for one request, keys in the documented order:
    /// `{"command", ["conversation_id",] "request", "status", "response": {"ok": true} | {"error":
    /// {"reason", "cmd", "body"}}}` or `{"command", ["conversation_id",] "request", "status" (when
    /// an answer came), "failure": {"kind", "message", "may_have_been_delivered", "attempts"}}`;
    /// `conversation_id` on call_consult lines. `attempts` is how many attempts were made for the
    /// request (0 when it was not sent at all).
    static func jsonLine(request: ECSSRequest, outcome: Result<ECSSClient.Answer, ECSSClientError>, attempts: Int = 1)
        -> String
    {
        var head = #"{"command": \#(quoted(request.command.rawValue)), "#
        if case .callConsult(let consult) = request { head += #""conversation_id": \#(quoted(consult.conversationID)), "# }
        head += #""request": \#(request.jsonObject), "#
        switch outcome {
        case .success(let answer):
            switch answer.response {
            case .ok:
                return head + #""status": \#(answer.status), "response": {"ok": true}}"#
            case .error(let reply):
                let command = reply.command.map(quoted) ?? "null"
                let body = reply.body.map(quoted) ?? "null"
                return head
                    + #""status": \#(answer.status), "response": {"error": {"reason": \#(quoted(reply.reason)), "cmd": \#(command), "body": \#(body)}}}"#
            }
        case .failure(let error):
            let status = error.status.map { #""status": \#($0), "# } ?? ""
            return head
                + #"\#(status)"failure": {"kind": \#(quoted(error.kind.code)), "message": \#(quoted(message(error))), "#
                + #""may_have_been_delivered": \#(error.mayHaveBeenDelivered), "attempts": \#(attempts)}}"#
        }
    }

    /// One human-readable line for one request; values quoted as in JSON, so each stays on its line.
    /// A call_consult request is named by its conversation id, any other by its command and fields.
    static func text(request: ECSSRequest, outcome: Result<ECSSClient.Answer, ECSSClientError>) -> String {
        let id: String
        if case .callConsult(let consult) = request {
            id = quoted(consult.conversationID)
        } else {
            id = "\(request.command) \(request.jsonObject)"
        }
        switch outcome {
        case .success(let answer):
            switch answer.response {
            case .ok:
                return "\(id): ok (status \(answer.status))"
            case .error(let reply):
                let command = reply.command.map(quoted) ?? "(none)"
                let body = reply.body.map(quoted) ?? "(none)"
                return "\(id): error (status \(answer.status)): reason \(quoted(reply.reason)), cmd \(command), body \(body)"
            }
        case .failure(let error):
            let status = error.status.map { " (status \($0))" } ?? ""
            return "\(id): failed\(status): \(error.kind.code): \(quoted(message(error)))"
        }
    }

    /// The error's message, the start of the answer's body, and whether the request may have been
    /// delivered.
    private static func message(_ error: ECSSClientError) -> String {
        var text = error.message
        if let excerpt = error.bodyExcerpt, !excerpt.isEmpty, !text.hasSuffix(excerpt) { text += "; body: \(excerpt)" }
        if error.mayHaveBeenDelivered { text += "; the request may have been delivered" }
        if !error.previousAttempts.isEmpty {
            let earlier = error.previousAttempts.map { "\($0.kind.code): \($0.message)" }
            text += "; \(error.attempts) attempts, the earlier ones failed before sending: " + earlier.joined(separator: "; ")
        }
        return text
    }

    private static func quoted(_ value: String) -> String { ValidationReport.quoted(value) }
}
