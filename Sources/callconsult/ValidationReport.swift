import CallConsultKit

/// How `callconsult validate` words its result for one input, as text or as one JSON line.
enum ValidationReport {
    /// What a valid input holds.
    enum Body {
        /// A request (`<in>`, or `<monitor>`) of any command.
        case request(ECSSRequest)
        /// A response (`<out>`), with `--response`.
        case response(CommandResponse)
    }

    /// Why an input is not valid.
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
    static func jsonLine(file: String, outcome: Result<Body, Failure>) -> String {
        switch outcome {
        case .success(.request(let request)):
            return
                #"{"file": \#(quoted(file)), "valid": true, "command": \#(quoted(request.command.rawValue)), "request": \#(request.jsonObject)}"#
        case .success(.response(.ok)):
            return #"{"file": \#(quoted(file)), "valid": true, "response": {"ok": true}}"#
        case .success(.response(.error(let reply))):
            let command = reply.command.map(quoted) ?? "null"
            let body = reply.body.map(quoted) ?? "null"
            return
                #"{"file": \#(quoted(file)), "valid": true, "response": {"error": {"reason": \#(quoted(reply.reason)), "cmd": \#(command), "body": \#(body)}}}"#
        case .failure(let failure):
            let issues = failure.issues.map {
                #"{"line": \#($0.line), "column": \#($0.column), "message": \#(quoted($0.message))}"#
            }
            return
                #"{"file": \#(quoted(file)), "valid": false, "kind": \#(quoted(failure.kind)), "issues": [\#(issues.joined(separator: ", "))]}"#
        }
    }

    /// Human-readable lines for one input: one for a valid or unreadable input, then one per
    /// issue for a refused one. Values are quoted as in JSON, so each stays on its line.
    static func text(file: String, outcome: Result<Body, Failure>) -> String {
        switch outcome {
        case .success(.request(.callConsult(let request))):
            let operatorID = request.operatorID.map(quoted) ?? "(the requesting operator)"
            return
                "\(file): valid: conversation_id \(quoted(request.conversationID)), to_number \(quoted(request.toNumber)), operator_id \(operatorID)"
        case .success(.request(let request)):
            let members = request.jsonMembers.map { "\($0.key) \($0.value == "null" ? "(none)" : $0.value)" }
            return "\(file): valid: \(request.command)" + (members.isEmpty ? "" : " " + members.joined(separator: ", "))
        case .success(.response(.ok)):
            return "\(file): valid: ok"
        case .success(.response(.error(let reply))):
            let command = reply.command.map(quoted) ?? "(none)"
            let body = reply.body.map(quoted) ?? "(none)"
            return "\(file): valid: error, reason \(quoted(reply.reason)), cmd \(command), body \(body)"
        case .failure(.rejected(let error)):
            return (["\(file): invalid (\(error.kind.code))"] + error.issues.map { "  \(file):\($0)" }).joined(separator: "\n")
        case .failure(.unreadable(let message)):
            return "\(file): unreadable: \(message)"
        }
    }

    /// `value` as a JSON string literal, escaped as every JSON of this package is
    /// (`JSONString` in CallConsultKit).
    static func quoted(_ value: String) -> String {
        JSONString.quoted(value)
    }
}
