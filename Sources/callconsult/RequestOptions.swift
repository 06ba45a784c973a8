import ArgumentParser
import CallConsultKit

/// The options that give one request's attributes, shared by `request` and `send`:
/// `--attribute NAME=VALUE` (repeatable) for any flat command, and for `call_consult` also
/// `--conversation-id`, `--to-number` and `--operator-id`.
struct RequestOptions: ParsableArguments {
    @Option(help: "The conversation to connect the operator to (call_consult).")
    var conversationId: String?

    @Option(help: "The number to consult (call_consult).")
    var toNumber: String?

    @Option(help: "The operator to connect (call_consult); omit it for the operator who asks.")
    var operatorId: String?

    @Option(
        name: .customLong("attribute"), help: ArgumentHelp("An attribute of the request; repeatable.", valueName: "name=value"))
    var attributes: [String] = []

    /// Whether any of these options was given.
    var isEmpty: Bool { attributes.isEmpty && conversationId == nil && toNumber == nil && operatorId == nil }

    /// The attributes by XML name, as `RequestFields` reads them; a usage error for an
    /// `--attribute` without `=`, a name given twice, or a call_consult option with another command.
    func object(for command: CommandName) throws -> [String: Any] {
        var object = try AttributeOption.object(attributes)
        for case (let name, let value?) in [
            ("conversation_id", conversationId), ("to_number", toNumber), ("operator_id", operatorId),
        ] {
            guard command == .callConsult else {
                throw ValidationError("--\(name.replacingOccurrences(of: "_", with: "-")) is for call_consult; use --attribute")
            }
            guard object[name] == nil else { throw ValidationError("\(name) given twice") }
            object[name] = value
        }
        return object
    }
}
