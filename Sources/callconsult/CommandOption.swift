import ArgumentParser
import CallConsultKit

/// `--command NAME`: which command of the family a document is (`call_consult` when omitted),
/// shared by validate, request, respond and send.
struct CommandOption: ParsableArguments {
    @Option(
        name: .customLong("command"),
        help: ArgumentHelp(
            "The command: \(CommandName.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"),
        transform: CommandOption.parse)
    var name: CommandName = .callConsult

    /// The command a name gives; a usage error naming the known ones for any other text.
    static func parse(_ text: String) throws -> CommandName {
        guard let name = CommandName(rawValue: text) else {
            throw ValidationError(
                "unknown command \(JSONString.quoted(text)); known: \(CommandName.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        return name
    }
}
