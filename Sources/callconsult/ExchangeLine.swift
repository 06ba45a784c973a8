import CallConsultEmulator
import CallConsultKit
import Foundation

/// How `callconsult serve` logs one exchange: a text line or a JSON object on one line. Values
/// are quoted as JSON strings, so a value holding a line break stays on its line; the API key and
/// the session cookie are never written.
enum ExchangeLine {
    /// `TIME STATUS DOMAIN COMMAND OUTCOME [details]`, e.g.
    /// `2026-11-30T15:00:00.123Z 200 "example.domain" call_consult ok conversation_id "c1" …`.
    static func text(_ exchange: ECSSEmulator.Exchange) -> String {
        let fields = details(exchange).map { "\($0.key) \($0.value)" }
        return
            ([
                UTCTimestamp.string(exchange.time), exchange.sentStatus.map(String.init) ?? "-",
                ValidationReport.quoted(exchange.domain),
                command(exchange),
            ]
            + [outcome(exchange)] + fields).joined(separator: " ")
    }

    /// `{"time": "…", "domain": "…", "command": "…", "status": N, "outcome": "…", …}`.
    static func json(_ exchange: ECSSEmulator.Exchange) -> String {
        let head = [
            #""time": \#(ValidationReport.quoted(UTCTimestamp.string(exchange.time)))"#,
            #""domain": \#(ValidationReport.quoted(exchange.domain))"#,
            #""command": \#(ValidationReport.quoted(command(exchange)))"#,
            #""status": \#(exchange.sentStatus.map(String.init) ?? "null")"#,
            #""outcome": \#(ValidationReport.quoted(outcome(exchange)))"#,
        ]
        let fields = details(exchange).map { #"\#(ValidationReport.quoted($0.key)): \#($0.value)"# }
        return "{" + (head + fields).joined(separator: ", ") + "}"
    }

    /// The command's name (`login`, `call_hold`, …), or the path of any other request.
    private static func command(_ exchange: ECSSEmulator.Exchange) -> String {
        "\(exchange.command)"
    }

    /// `logged_in`, `ok`, `error`, `refused` or `fault`.
    private static func outcome(_ exchange: ECSSEmulator.Exchange) -> String {
        switch exchange.outcome {
        case .loggedIn: "logged_in"
        case .answered(_, .ok): "ok"
        case .answered(_, .error): "error"
        case .refused: "refused"
        case .faulted: "fault"
        }
    }

    /// The outcome's details, in a fixed order, each value as JSON text (a string, `null`, or for
    /// `add_participant` and `monitor` the request's structure); never the API key.
    private static func details(_ exchange: ECSSEmulator.Exchange) -> [(key: String, value: String)] {
        func string(_ value: String) -> String { ValidationReport.quoted(value) }
        switch exchange.outcome {
        case .loggedIn(let login):
            return [("client_id", string(login.clientID)), ("phone_number", string(login.phoneNumber))]
        case .answered(let request, let response):
            var fields = request.jsonMembers
            if case .error(let reply) = response { fields.append(("reason", string(reply.reason))) }
            return fields
        case .refused(let refusal):
            var fields: [(key: String, value: String)] = [("refusal", string(refusal.code))]
            switch refusal {
            case .invalidLogin(let error), .invalidRequest(let error): fields.append(("error_kind", string(error.kind.code)))
            case .invalidCredentials(let login): fields.append(("client_id", string(login.clientID)))
            case .unknownEvent(let name): fields.append(("event", string(name)))
            default: break
            }
            return fields
        case .faulted(let kind, let request, let response):
            var fields: [(key: String, value: String)] = [("fault", string(kind.rawValue))]
            fields += request?.jsonMembers ?? []
            if case .error(let reply) = response { fields.append(("reason", string(reply.reason))) }
            if let stub = exchange.stub { fields.append(("stub", string(stub))) }
            return fields
        }
    }
}
