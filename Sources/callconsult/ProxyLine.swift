import CallConsultKit
import CallConsultProxy
import Foundation

/// How `callconsult proxy` prints one exchange: a text line or a JSON object on one line. Values
/// are quoted as JSON strings, so each stays on its line; no API key, cookie or body is written.
enum ProxyLine {
    /// `TIME STATUS DOMAIN COMMAND request=R response=R DURATION ms [error "…"] [issue …]…`, e.g.
    /// `2026-12-07T06:00:00.123Z 200 "example.domain" call_hold request=valid response=valid 1.204 ms`;
    /// `-` for a domain or command outside the family (then the path is given), R one of
    /// `valid`, `invalid`, `-` (not checked).
    static func text(_ exchange: ECSSProxy.Exchange) -> String {
        var parts = [
            timestamp(exchange.time), String(exchange.status), exchange.domain.map(quoted) ?? "-",
            exchange.command?.rawValue ?? "-",
        ]
        if exchange.command == nil { parts.append("\(exchange.method) \(quoted(exchange.path))") }
        parts.append("request=\(word(exchange.requestValid))")
        parts.append("response=\(word(exchange.responseValid))")
        parts.append("\(milliseconds(exchange.duration)) ms")
        if let failure = exchange.failure { parts.append("error \(quoted(failure.description))") }
        for issue in exchange.issues {
            parts.append("issue \(issue.which.rawValue) \(issue.line):\(issue.column): \(quoted(issue.message))")
        }
        return parts.joined(separator: " ")
    }

    /// `{"time", "domain", "command", "status", "request", "request_valid", "response_valid",
    /// "issues", "error", "duration_ms"}`, in that order.
    static func json(_ exchange: ECSSProxy.Exchange) -> String {
        let issues = exchange.issues.map {
            #"{"which": \#(quoted($0.which.rawValue)), "line": \#($0.line), "column": \#($0.column), "message": \#(quoted($0.message))}"#
        }
        let time = quoted(timestamp(exchange.time))
        let domain: String = exchange.domain.map(quoted) ?? "null"
        let command: String = exchange.command.map { quoted($0.rawValue) } ?? "null"
        let request: String = exchange.request?.jsonObject ?? "null"
        let requestValid: String = exchange.requestValid.map { String($0) } ?? "null"
        let responseValid: String = exchange.responseValid.map { String($0) } ?? "null"
        let error: String = exchange.failure.map { quoted($0.description) } ?? "null"
        let members: [(String, String)] = [
            ("time", time), ("domain", domain), ("command", command), ("status", String(exchange.status)),
            ("request", request), ("request_valid", requestValid), ("response_valid", responseValid),
            ("issues", "[" + issues.joined(separator: ", ") + "]"), ("error", error),
            ("duration_ms", milliseconds(exchange.duration)),
        ]
        return "{" + members.map { "\(quoted($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }

    private static func word(_ valid: Bool?) -> String {
        valid.map { $0 ? "valid" : "invalid" } ?? "-"
    }

    /// The duration in milliseconds, with three decimals.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let microseconds = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        let fraction = String(microseconds % 1000)
        return "\(microseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    private static func quoted(_ value: String) -> String { JSONString.quoted(value) }

    /// The time in UTC, ISO 8601 with milliseconds, as `serve` writes it.
    private static func timestamp(_ time: Date) -> String {
        timestampStyle.format(time)
    }

    /// Made once: making it costs about as much as formatting with it.
    private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}
