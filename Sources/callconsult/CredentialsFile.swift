import ArgumentParser
import CallConsultKit
import Foundation

/// `serve --credentials FILE`: credential sets, one JSON object a line,
/// `{"client_id": "…", "api_key": "…", "phone_number": "…"}`; blank lines are skipped.
///
/// A bad line is a usage error `FILE:N: …` that names the key at fault and never shows a value
/// (an API key is a secret, even a malformed one).
enum CredentialsFile {
    /// The keys every line has, exactly.
    static let keys = ["client_id", "api_key", "phone_number"]

    /// The credential sets of `path`, in order; a usage error for the first bad line, or for a
    /// file with none.
    static func read(_ path: String) throws -> [LoginRequest] {
        let file: InputFile
        do {
            file = try InputFile.read(path, limit: 16 << 20)
        } catch {
            throw ValidationError("--credentials: \(error.message)")
        }
        if file.isOverLimit { throw ValidationError("--credentials: '\(path)' is over 16 MiB") }
        var sets: [LoginRequest] = []
        for (index, line) in file.bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard line.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { continue }
            do {
                sets.append(try parse(Data(line)))
            } catch {
                throw ValidationError("\(path):\(index + 1): \(error.message)")
            }
        }
        guard !sets.isEmpty else { throw ValidationError("--credentials: '\(path)' holds no credentials") }
        return sets
    }

    /// Why a line is not a credential set, without its values.
    struct LineError: Error {
        var message: String
    }

    /// One line as a credential set.
    static func parse(_ line: Data) throws(LineError) -> LoginRequest {
        // The parser's own message may quote the input: only whether it parsed is reported.
        guard let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] else {
            throw LineError(message: #"not a JSON object ({"client_id": …, "api_key": …, "phone_number": …})"#)
        }
        if let unknown = object.keys.sorted().first(where: { !keys.contains($0) }) {
            throw LineError(message: "\(unknown): unknown key (a line has \(keys.joined(separator: ", ")))")
        }
        var values: [String: String] = [:]
        for key in keys {
            guard let value = object[key] else { throw LineError(message: "\(key): required") }
            guard let text = value as? String, !text.isEmpty else { throw LineError(message: "\(key): not a non-empty string") }
            values[key] = text
        }
        return LoginRequest(
            clientID: values["client_id"] ?? "", apiKey: values["api_key"] ?? "", phoneNumber: values["phone_number"] ?? "")
    }
}
