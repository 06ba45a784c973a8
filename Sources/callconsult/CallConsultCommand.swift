import ArgumentParser
import CallConsultKit
import Foundation

/// `callconsult`: validate, answer and build ECSS-10 `call_consult` documents.
struct CallConsultCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callconsult",
        abstract: "Validate, answer and build ECSS-10 call_consult documents.",
        discussion: """
            Requests are validated against the bundled call_consult.xsd with libxml2, with the same \
            safety rules a server using CallConsultKit applies.

            Exit status: 0 when every input is valid (or a document was printed), 1 when an input \
            is not a valid request, 2 on a usage error.
            """,
        subcommands: [ValidateCommand.self, RespondCommand.self, RequestCommand.self]
    )

    /// Parses the arguments and runs the command, mapping usage errors to exit status 2.
    static func runMain() -> Never {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitForParseError(error)
        }
        do {
            var command = command
            try command.run()
            Foundation.exit(0)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            exitForParseError(error)
        }
    }

    private static func exitForParseError(_ error: any Error) -> Never {
        let code = exitCode(for: error)
        if code == .success {
            // --help and --version: print to standard output, as asked.
            print(fullMessage(for: error))
            Foundation.exit(0)
        }
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        if code == .validationFailure { Foundation.exit(2) }
        Foundation.exit(code.rawValue)
    }
}

@main
enum Main {
    static func main() {
        CallConsultCommand.runMain()
    }
}
