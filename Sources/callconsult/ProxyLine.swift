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
        var line = LineBytes()
        line.append(UTCTimestamp.string(exchange.time))
        line.append(" ")
        line.append(String(exchange.status))
        line.append(" ")
        line.append(exchange.domain.map(quoted) ?? "-")
        line.append(" ")
        line.append(exchange.command?.rawValue ?? "-")
        if exchange.command == nil {
            line.append(" ")
            line.append(exchange.method)
            line.append(" ")
            line.append(quoted(exchange.path))
        }
        line.append(" request=")
        line.append(word(exchange.requestValid))
        line.append(" response=")
        line.append(word(exchange.responseValid))
        line.append(" ")
        line.append(milliseconds(exchange.duration))
        line.append(" ms")
        if let failure = exchange.failure {
            line.append(" error ")
            line.append(quoted(failure.description))
        }
        for issue in exchange.issues {
            line.append(" issue \(issue.which.rawValue) \(issue.line):\(issue.column): ")
            line.append(quoted(issue.message))
        }
        return line.text
    }

    /// A line gathered as UTF-8 bytes: appending a string copies its bytes, where `String`'s own
    /// `+=` costs several times as much (a line is made for every exchange).
    private struct LineBytes {
        private var bytes: [UInt8] = []

        init() {
            bytes.reserveCapacity(160)
        }

        mutating func append(_ text: String) {
            let appended: Void? = text.utf8.withContiguousStorageIfAvailable { bytes.append(contentsOf: $0) }
            if appended == nil { bytes.append(contentsOf: text.utf8) }
        }

        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// `{"time", "domain", "command", "status", "request", "request_valid", "response_valid",
    /// "issues", "error", "duration_ms"}`, in that order.
    static func json(_ exchange: ECSSProxy.Exchange) -> String {
        let issues = exchange.issues.map {
            #"{"which": \#(quoted($0.which.rawValue)), "line": \#($0.line), "column": \#($0.column), "message": \#(quoted($0.message))}"#
        }
        let time = quoted(UTCTimestamp.string(exchange.time))
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
}
