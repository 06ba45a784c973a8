import ArgumentParser
import CallConsultKit

/// `callconsult validate`: decode request (or response) bodies and report, per input, whether each
/// is valid.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check that files are valid requests (or, with --response, responses) of a command.",
        discussion: """
            Each FILE is parsed and validated against the schema of --command (call_consult when \
            omitted) as a request body (<in>…</in>; <monitor>…</monitor> for monitor), or with \
            --response as a response body (<out>…</out>; monitor has none); '-' reads standard \
            input. At most --max-body-bytes + 1 bytes of an input are read. With --json, exactly \
            one JSON object per input is printed, one per line, in input order:
              {"file": "…", "valid": true, "command": "NAME", "request": {…}}
              {"file": "…", "valid": true, "response": {"ok": true}}
              {"file": "…", "valid": true, "response": {"error": {"reason": "…", "cmd": "…" or null, "body": "…" or null}}}
              {"file": "…", "valid": false, "kind": "…", "issues": [{"line": N, "column": N, "message": "…"}]}
            request maps every attribute the command's schema declares (on <request> or on the \
            command's child) by its XML name to its value, or null when absent; login's api_key \
            is "***". add_participant gives {"participants": null or {"conference_id": "…", \
            "participant": [{"number": …, "conversation_id": …}, …]}}; monitor gives {"start": …, \
            "stop": …}, each null or a list of {"name": "…", "entity": …, "timestamp": …}. kind is \
            one of too_large, refused_by_policy, not_well_formed, wrong_root, not_valid, internal, \
            or unreadable when the file could not be read.

            Exit status: 0 when every input is valid, 1 when any is not, 2 on a usage error, 74 \
            when standard output cannot be written.
            """
    )

    @Flag(name: .long, help: "Print one JSON object per input instead of text.")
    var json = false

    @Flag(name: .long, help: "Check response bodies (<out>) instead of request bodies (<in>).")
    var response = false

    @OptionGroup var command: CommandOption

    @Option(name: .long, help: "The largest body accepted, in bytes.")
    var maxBodyBytes: Int = DecodingLimits.default.maxBodyBytes

    @Argument(help: "Files holding the bodies; '-' is standard input.")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("Give at least one FILE, or '-' for standard input.") }
        if maxBodyBytes < 1 { throw ValidationError("--max-body-bytes must be at least 1.") }
        if response, !command.name.hasResponseDocument {
            throw ValidationError("--response: \(command.name) has no <out> answer (ECSS-10 answers it with a status only).")
        }
    }

    func run() throws {
        let codec = CallConsultCodec(limits: DecodingLimits(maxBodyBytes: maxBodyBytes))
        var allValid = true
        for file in files {
            let outcome = check(file, with: codec)
            if case .failure = outcome { allValid = false }
            try StandardOutput.writeLine(
                json
                    ? ValidationReport.jsonLine(file: file, outcome: outcome)
                    : ValidationReport.text(file: file, outcome: outcome))
        }
        if !allValid { throw ExitCode(1) }
    }

    private func check(_ file: String, with codec: CallConsultCodec) -> Result<ValidationReport.Body, ValidationReport.Failure> {
        let input: InputFile
        do {
            input = try InputFile.read(file, limit: maxBodyBytes)
        } catch {
            return .failure(.unreadable(error.message))
        }
        do {
            return .success(
                response
                    ? .response(try codec.decodeResponse(input.bytes, command: command.name))
                    : .request(try codec.decodeRequest(input.bytes, command: command.name)))
        } catch {
            return .failure(.rejected(input.isOverLimit ? overLimit(error) : error))
        }
    }

    /// The codec's refusal of an input that holds more than the limit. The codec saw only its
    /// first limit + 1 bytes: say "more than", not their count.
    private func overLimit(_ error: DocumentError) -> DocumentError {
        let issue = DocumentError.Issue(
            line: 0, column: 0, element: nil,
            message: "the body is more than \(maxBodyBytes) bytes; at most \(maxBodyBytes) are accepted (--max-body-bytes)",
            domain: .policy, code: 0)
        return DocumentError(kind: error.kind, issues: [issue])
    }
}
