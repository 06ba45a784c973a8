import ArgumentParser
import CallConsultKit
import Foundation

/// The lines of `callconsult send --batch`: one JSON object per line, a request's fields as
/// `validate --json` prints `request`, with `"command": "NAME"` beside them (`call_consult` when
/// absent), e.g. `{"command": "call_hold", "conversation_id": "c-1"}`. Blank lines are skipped.
enum BatchLine {
    /// Every request of `bytes`, in order; a usage error naming the first bad line (not JSON, not
    /// an object, an unknown command, a missing or non-string field, a key the command's schema
    /// does not declare, a value XML cannot carry).
    static func parse(_ bytes: [UInt8]) throws -> [ECSSRequest] {
        let codec = CallConsultCodec()
        var requests: [ECSSRequest] = []
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            guard !trimmed.isEmpty, !trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) else { continue }
            let number = index + 1
            do {
                let request = try request(Data(line))
                _ = try codec.encode(request)
                requests.append(request)
            } catch let error as ValidationError {
                throw ValidationError("--batch line \(number): \(error.message)")
            } catch let error as EncodingError {
                throw ValidationError("--batch line \(number): \(error)")
            } catch {
                throw ValidationError("--batch line \(number): not JSON")
            }
        }
        guard !requests.isEmpty else { throw ValidationError("--batch: no request in it") }
        return requests
    }

    private static func request(_ line: Data) throws -> ECSSRequest {
        guard var object = try JSONSerialization.jsonObject(with: line) as? [String: Any] else {
            throw ValidationError("not a JSON object")
        }
        var command = CommandName.callConsult
        switch object.removeValue(forKey: "command") {
        case nil: break
        case let name as String:
            command = try CommandOption.parse(name)
            guard !SendCommand.unsent.contains(command) else {
                throw ValidationError("send does not send \(command): \(SendCommand.whyUnsent(command))")
            }
        default: throw ValidationError("command is not a string")
        }
        return try RequestFields.request(command, from: object)
    }
}
