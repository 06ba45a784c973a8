import ArgumentParser
import CallConsultKit

/// `callconsult respond`: print an `<out>` body.
struct RespondCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "respond",
        abstract: "Print a response body (<out>) of a command.",
        discussion: """
            Every command's <out> has the same shape; --command (call_consult when omitted) decides \
            whether it may be given (monitor has no <out>, login's cannot be an error) and, with \
            --declare-schema, which schema its root names.
            """,
        subcommands: [Ok.self, Error.self]
    )

    /// `callconsult respond ok`.
    struct Ok: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ok", abstract: "Print <out><response><ok/></response></out> (HTTP 200).")

        @OptionGroup var options: Options

        func run() throws {
            try options.write(.ok)
        }
    }

    /// `callconsult respond error --reason R [--cmd C] [--body B]`.
    struct Error: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "error",
            abstract: "Print <out><error reason=… cmd=… body=…/></out> (HTTP 403; 200 for some commands).")

        @OptionGroup var options: Options

        @Option(help: "The error reason, e.g. \(ErrorReply.cannotPerformCommand).")
        var reason: String

        @Option(help: "The command the error answers, e.g. call_consult.")
        var cmd: String?

        @Option(help: "What went wrong, e.g. timeout.")
        var body: String?

        func run() throws {
            try options.write(.error(ErrorReply(reason: reason, command: cmd, body: body)))
        }
    }

    /// The options both answers take.
    struct Options: ParsableArguments {
        @OptionGroup var command: CommandOption

        @Flag(help: "Name the command's schema on the root, as the vendor's examples do (xs:noNamespaceSchemaLocation).")
        var declareSchema = false

        /// Writes the encoded response to standard output; a value XML cannot carry, or an answer
        /// the command cannot have, is a usage error.
        func write(_ response: CommandResponse) throws {
            guard command.name.hasResponseDocument else {
                throw ValidationError("\(command.name) has no <out> answer (ECSS-10 answers it with a status only)")
            }
            if command.name == .login, response != .ok {
                throw ValidationError("login's <out> can only be ok: a refused login is answered 403 with plain text")
            }
            let body: [UInt8]
            do {
                body = try CallConsultCodec().encode(response, command: command.name, declaringSchemaLocation: declareSchema)
            } catch {
                throw ValidationError(error.description)
            }
            try StandardOutput.write(body)
        }
    }
}
