import CallConsultKit

/// How `callconsult validate` words its result for one input, as text or as one JSON line.
enum ValidationReport {
    /// Why an input is not a valid request.
    enum Failure: Error {
        /// The library refused the body.
        case rejected(DocumentError)
        /// The file could not be read.
        case unreadable(String)

        var kind: String {
            switch self {
            case .rejected(let error): error.kind.code
            case .unreadable: "unreadable"
            }
        }

        var issues: [(line: Int, column: Int, message: String)] {
            switch self {
            case .rejected(let error): error.issues.map { ($0.line, $0.column, $0.message) }
            case .unreadable(let message): [(0, 0, message)]
            }
        }
    }

    /// The JSON object for one input, on one line; keys in the documented order.
    static func jsonLine(file: String, outcome: Result<CallConsultRequest, Failure>) -> String {
        switch outcome {
        case .success(let request):
            let operatorID = request.operatorID.map(quoted) ?? "null"
            return
                #"{"file": \#(quoted(file)), "valid": true, "request": {"conversation_id": \#(quoted(request.conversationID)), "to_number": \#(quoted(request.toNumber)), "operator_id": \#(operatorID)}}"#
        case .failure(let failure):
            let issues = failure.issues.map {
                #"{"line": \#($0.line), "column": \#($0.column), "message": \#(quoted($0.message))}"#
            }
            return
                #"{"file": \#(quoted(file)), "valid": false, "kind": \#(quoted(failure.kind)), "issues": [\#(issues.joined(separator: ", "))]}"#
        }
    }

    /// Human-readable lines for one input.
    static func text(file: String, outcome: Result<CallConsultRequest, Failure>) -> String {
        switch outcome {
        case .success(let request):
            let operatorID = request.operatorID.map { "\"\($0)\"" } ?? "(the requesting operator)"
            return
                "\(file): valid: conversation_id \"\(request.conversationID)\", to_number \"\(request.toNumber)\", operator_id \(operatorID)"
        case .failure(.rejected(let error)):
            return (["\(file): invalid (\(error.kind.code))"] + error.issues.map { "  \(file):\($0)" }).joined(separator: "\n")
        case .failure(.unreadable(let message)):
            return "\(file): unreadable: \(message)"
        }
    }

    /// `value` as a JSON string literal.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0}"..."\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
