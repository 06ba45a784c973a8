import ArgumentParser
import CallConsultKit
import Foundation

/// `callconsult validate`: decode request bodies and report, per input, whether each is valid.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check that files are valid call_consult requests.",
        discussion: """
            Each FILE is parsed and validated as a request body (<in>…</in>); '-' reads standard \
            input. With --json, exactly one JSON object per input is printed, one per line, in \
            input order:
              {"file": "…", "valid": true, "request": {"conversation_id": "…", "to_number": "…", "operator_id": "…" or null}}
              {"file": "…", "valid": false, "kind": "…", "issues": [{"line": N, "column": N, "message": "…"}]}
            kind is one of too_large, refused_by_policy, not_well_formed, wrong_root, not_valid, \
            internal, or unreadable when the file could not be read.
            """
    )

    @Flag(name: .long, help: "Print one JSON object per input instead of text.")
    var json = false

    @Option(name: .long, help: "The largest body accepted, in bytes.")
    var maxBodyBytes: Int = DecodingLimits.default.maxBodyBytes

    @Argument(help: "Files holding request bodies; '-' is standard input.")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("Give at least one FILE, or '-' for standard input.") }
        if maxBodyBytes < 1 { throw ValidationError("--max-body-bytes must be at least 1.") }
    }

    func run() throws {
        let codec = CallConsultCodec(limits: DecodingLimits(maxBodyBytes: maxBodyBytes))
        var allValid = true
        for file in files {
            let outcome = Self.check(file, with: codec)
            if case .failure = outcome { allValid = false }
            print(
                json
                    ? ValidationReport.jsonLine(file: file, outcome: outcome)
                    : ValidationReport.text(file: file, outcome: outcome))
        }
        if !allValid { throw ExitCode(1) }
    }

    static func check(_ file: String, with codec: CallConsultCodec) -> Result<CallConsultRequest, ValidationReport.Failure> {
        let body: Data
        if file == "-" {
            body = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else {
                return .failure(.unreadable("cannot read '\(file)': no such file, or not readable"))
            }
            body = contents
        }
        do {
            return .success(try codec.decodeRequest(body))
        } catch {
            return .failure(.rejected(error))
        }
    }
}
