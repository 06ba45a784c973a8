import CallConsultKit
import Foundation

/// The admin API's JSON answers, written by hand where the journal is concerned (the request's
/// JSON is `callconsult validate --json`'s) and by `JSONEncoder` for stubs. The API key never
/// appears: a login's is printed `"***"`.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
enum AdminJSON {
    /// `{"stubs": [{"id": "…", …as registered, "remaining": N or null}, …]}`.
    static func stubs(_ stubs: [ECSSEmulator.RegisteredStub]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let items = stubs.map { stub in
            (try? encoder.encode(Listed(registered: stub))).map { String(decoding: $0, as: UTF8.self) } ?? "null"
        }
        return #"{"stubs": ["# + items.joined(separator: ", ") + "]}"
    }

    /// `{"scenarios": {"name": "state", …}}`, names in order.
    static func scenarios(_ scenarios: [String: String]) -> String {
        let members = scenarios.sorted { $0.key < $1.key }.map { "\(JSONString.quoted($0.key)): \(JSONString.quoted($0.value))" }
        return #"{"scenarios": {"# + members.joined(separator: ", ") + "}}"
    }

    /// `{"exchanges": [{…}, …]}`, oldest first.
    static func exchanges(_ exchanges: [ECSSEmulator.Exchange]) -> String {
        #"{"exchanges": ["# + exchanges.map(exchange).joined(separator: ", ") + "]}"
    }

    /// One exchange: `seq`, `time`, `domain`, `command`, `status`, `outcome`, `request`,
    /// `response`, `refusal`, `fault`, `carried_out`, `stub`.
    static func exchange(_ exchange: ECSSEmulator.Exchange) -> String {
        func string(_ value: String?) -> String { value.map(JSONString.quoted) ?? "null" }
        var outcome: String
        var request: ECSSRequest?
        var response: CommandResponse?
        var refusal: String?
        switch exchange.outcome {
        case .loggedIn(let login):
            (outcome, request, response) = ("logged_in", .login(login), .ok)
        case .answered(let answered, let answer):
            (outcome, request, response) = (answer == .ok ? "ok" : "error", answered, answer)
        case .refused(let refused):
            outcome = "refused"
            refusal = refused.code
            if case .invalidCredentials(let login) = refused { request = .login(login) }
        case .faulted(_, let faulted, let sent):
            (outcome, request, response) = ("fault", faulted, sent)
        }
        let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(exchange.time)
        let members = [
            #""seq": \#(exchange.seq)"#, #""time": \#(string(time))"#, #""domain": \#(string(exchange.domain))"#,
            #""command": \#(string(exchange.command.description))"#,
            #""status": \#(exchange.sentStatus.map(String.init) ?? "null")"#, #""outcome": \#(string(outcome))"#,
            #""request": \#(request?.jsonObject ?? "null")"#, #""response": \#(response.map(Self.response) ?? "null")"#,
            #""refusal": \#(string(refusal))"#, #""fault": \#(string(exchange.fault?.rawValue))"#,
            #""carried_out": \#(exchange.carriedOut)"#, #""stub": \#(string(exchange.stub))"#,
        ]
        return "{" + members.joined(separator: ", ") + "}"
    }

    /// `{"ok": true}` or `{"error": {"reason": "…", "cmd": "…" or null, "body": "…" or null}}`.
    static func response(_ response: CommandResponse) -> String {
        func string(_ value: String?) -> String { value.map(JSONString.quoted) ?? "null" }
        switch response {
        case .ok: return #"{"ok": true}"#
        case .error(let reply):
            return
                #"{"error": {"reason": \#(string(reply.reason)), "cmd": \#(string(reply.command)), "body": \#(string(reply.body))}}"#
        }
    }

    /// A registered stub as the listing shows it.
    private struct Listed: Encodable {
        var registered: ECSSEmulator.RegisteredStub

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: JSONKey.self)
            try container.encode(registered.id, forKey: "id")
            try registered.stub.encodeFields(into: &container)
            if let remaining = registered.remaining {
                try container.encode(remaining, forKey: "remaining")
            } else {
                try container.encodeNil(forKey: "remaining")
            }
        }
    }
}
