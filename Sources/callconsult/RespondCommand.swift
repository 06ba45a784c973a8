import ArgumentParser
import CallConsultKit

/// `callconsult respond`: print an `<out>` body.
struct RespondCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "respond",
        abstract: "Print a response body (<out>).",
        subcommands: [Ok.self, Error.self]
    )

    /// `callconsult respond ok`.
    struct Ok: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ok", abstract: "Print <out><response><ok/></response></out> (HTTP 200).")

        func run() throws {
            try write(.ok)
        }
    }

    /// `callconsult respond error --reason R [--cmd C] [--body B]`.
    struct Error: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "error", abstract: "Print <out><error reason=… cmd=… body=…/></out> (HTTP 403).")

        @Option(help: "The error reason, e.g. \(ErrorReply.cannotPerformCommand).")
        var reason: String

        @Option(help: "The command the error answers, e.g. call_consult.")
        var cmd: String?

        @Option(help: "What went wrong, e.g. timeout.")
        var body: String?

        func run() throws {
            try write(.error(ErrorReply(reason: reason, command: cmd, body: body)))
        }
    }
}

/// Writes the encoded response to standard output; a value XML cannot carry is a usage error.
private func write(_ response: CommandResponse) throws {
    let body: [UInt8]
    do {
        body = try CallConsultCodec().encode(response)
    } catch {
        throw ValidationError(error.description)
    }
    try StandardOutput.write(body)
}
