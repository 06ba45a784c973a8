import ArgumentParser
import CallConsultKit
import Foundation

/// `callconsult request`: print a command's request body (`<in>`, or `<monitor>`).
struct RequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Print a request body (<in>; <monitor> for monitor) of a command.",
        discussion: """
            The values come from --attribute NAME=VALUE (repeatable: the attributes of a flat \\
            command, by XML name), from --fields with the JSON object validate --json prints as \\
            "request" (any command, add_participant and monitor included), or for call_consult \\
            from --conversation-id, --to-number and --operator-id.
            """)

    @OptionGroup var command: CommandOption

    @OptionGroup var values: RequestOptions

    @Option(help: ArgumentHelp("The request as validate --json prints it.", valueName: "json"))
    var fields: String?

    func run() throws {
        let request = try makeRequest()
        let body: [UInt8]
        do {
            body = try CallConsultCodec().encode(request)
        } catch {
            throw ValidationError(error.description)
        }
        try StandardOutput.write(body)
    }

    private func makeRequest() throws -> ECSSRequest {
        guard let fields else { return try RequestFields.request(command.name, from: values.object(for: command.name)) }
        guard values.isEmpty else {
            throw ValidationError("--fields cannot be used with --attribute or the call_consult options")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(fields.utf8)) as? [String: Any] else {
            throw ValidationError("--fields is not a JSON object")
        }
        return try RequestFields.request(command.name, from: object)
    }
}

/// `--attribute NAME=VALUE` options as a JSON-like object of strings.
enum AttributeOption {
    /// The attributes by name; a usage error for an option without `=` or a name given twice.
    static func object(_ options: [String]) throws -> [String: Any] {
        var object: [String: Any] = [:]
        for option in options {
            guard let equals = option.firstIndex(of: "=") else {
                throw ValidationError("--attribute \(ValidationReport.quoted(option)): write NAME=VALUE")
            }
            let name = String(option[..<equals])
            guard object[name] == nil else { throw ValidationError("--attribute \(ValidationReport.quoted(name)) given twice") }
            object[name] = String(option[option.index(after: equals)...])
        }
        return object
    }
}
