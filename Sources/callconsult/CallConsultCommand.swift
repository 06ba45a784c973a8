import ArgumentParser
import CallConsultKit
import Foundation

/// `callconsult`: validate, answer and build ECSS-10 `call_consult` documents.
///
/// The root is an `AsyncParsableCommand`, so subcommands may be synchronous `ParsableCommand`s or
/// `AsyncParsableCommand`s; ``runMain()`` runs either kind with the same exit contract.
struct CallConsultCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callconsult",
        abstract:
            "Validate, answer and build ECSS-10 call_consult documents, serve an ECSS-10 emulator, and check a real one through a proxy.",
        discussion: """
            Requests and responses are validated against the bundled call_consult.xsd with libxml2, \
            with the same safety rules a server using CallConsultKit applies.

            Exit status: 0 when every input is valid (or a document was printed), 1 when an input \
            is not valid, 2 on a usage error, 74 when standard output cannot be written (closed, \
            full, or a pipe whose reader has gone: the reason is printed on standard error). send: 0 \
            when every answer is ok, 1 when any is an error reply, 3 when any request failed.
            """,
        subcommands: [
            ValidateCommand.self, RespondCommand.self, RequestCommand.self, ServeCommand.self, SendCommand.self,
            ProxyCommand.self,
        ]
    )

    /// Parses the arguments and runs the command, synchronous or asynchronous: exit status 0 on
    /// success, what the command throws as `ExitCode`, 2 on a usage error, and
    /// ``StandardOutput/WriteError/exitStatus`` when standard output cannot be written.
    static func runMain() async -> Never {
        let command: any ParsableCommand
        do {
            command = try await asyncParseAsRoot()
        } catch {
            exitForParseError(error)
        }
        do {
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                var command = command
                try command.run()
            }
            Foundation.exit(0)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch let error as StandardOutput.WriteError {
            exitForWriteError(error)
        } catch {
            exitForParseError(error)
        }
    }

    private static func exitForParseError(_ error: any Error) -> Never {
        let code = exitCode(for: error)
        if code == .success {
            // --help and --version: print to standard output, as asked.
            do {
                try StandardOutput.writeLine(fullMessage(for: error))
            } catch {
                exitForWriteError(error)
            }
            Foundation.exit(0)
        }
        StandardOutput.writeToStandardError(fullMessage(for: error))
        if code == .validationFailure { Foundation.exit(2) }
        Foundation.exit(code.rawValue)
    }

    private static func exitForWriteError(_ error: StandardOutput.WriteError) -> Never {
        StandardOutput.writeToStandardError("callconsult: \(error)")
        Foundation.exit(StandardOutput.WriteError.exitStatus)
    }
}

@main
enum Main {
    static func main() async {
        StandardOutput.prepareProcess()
        await CallConsultCommand.runMain()
    }
}
