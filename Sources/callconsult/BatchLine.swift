import ArgumentParser
import CallConsultKit
import Foundation

/// The lines of `callconsult send --batch`: one JSON object per line,
/// `{"conversation_id": "…", "to_number": "…", "operator_id": "…"}`, `operator_id` optional (or
/// `null`). Blank lines are skipped.
enum BatchLine {
    /// Every request of `bytes`, in order; a usage error naming the first bad line (not JSON, not
    /// an object, a missing or non-string field, an unknown key, a value XML cannot carry).
    static func parse(_ bytes: [UInt8]) throws -> [CallConsultRequest] {
        let codec = CallConsultCodec()
        var requests: [CallConsultRequest] = []
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

    private static func request(_ line: Data) throws -> CallConsultRequest {
        guard let object = try JSONSerialization.jsonObject(with: line) as? [String: Any] else {
            throw ValidationError("not a JSON object")
        }
        let known: Set<String> = ["conversation_id", "to_number", "operator_id"]
        if let unknown = object.keys.filter({ !known.contains($0) }).sorted().first {
            throw ValidationError("unknown key \(ValidationReport.quoted(unknown))")
        }
        func string(_ key: String) throws -> String {
            guard let value = object[key] as? String else {
                throw ValidationError("\(key) is missing or not a string")
            }
            return value
        }
        let operatorID: String?
        switch object["operator_id"] {
        case nil, is NSNull: operatorID = nil
        case let value as String: operatorID = value
        default: throw ValidationError("operator_id is not a string")
        }
        return CallConsultRequest(
            conversationID: try string("conversation_id"), toNumber: try string("to_number"), operatorID: operatorID)
    }
}
