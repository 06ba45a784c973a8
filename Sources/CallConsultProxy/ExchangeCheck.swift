import CallConsultKit
import Foundation
import NIOCore

/// The schema checks of one exchange: the request against its command's schema, and an XML
/// answer as the command's `<out>`.
struct ExchangeCheck: Sendable {
    let codec: CallConsultCodec

    /// A `/{domain}/service/cc/arm/{command}` path: its domain and command name.
    struct Target: Sendable {
        var domain: String
        var name: String

        init?(path: String) {
            var path = path
            path.makeContiguousUTF8()
            guard let parsed = path.utf8.withContiguousStorageIfAvailable(Self.parse), let (domain, name) = parsed
            else { return nil }
            self.domain = domain
            self.name = name
        }

        /// The domain and the name of `/{domain}/service/cc/arm/{name}` bytes, on the bytes: `/` only
        /// ever separates, and no Character is formed.
        private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (String, String)? {
            guard bytes.first == UInt8(ascii: "/") else { return nil }
            var slashes = (0, 0, 0, 0, 0)
            var count = 0
            for index in bytes.indices where bytes[index] == UInt8(ascii: "/") {
                switch count {
                case 0: slashes.0 = index
                case 1: slashes.1 = index
                case 2: slashes.2 = index
                case 3: slashes.3 = index
                case 4: slashes.4 = index
                default: return nil
                }
                count += 1
            }
            guard count == 5 else { return nil }
            func part(_ from: Int, _ to: Int) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: bytes[(from + 1)..<to])
            }
            let domain = part(slashes.0, slashes.1)
            let name = part(slashes.4, bytes.count)
            guard !domain.isEmpty, !name.isEmpty, part(slashes.1, slashes.2).elementsEqual("service".utf8),
                part(slashes.2, slashes.3).elementsEqual("cc".utf8), part(slashes.3, slashes.4).elementsEqual("arm".utf8)
            else { return nil }
            return (String(decoding: domain, as: UTF8.self), String(decoding: name, as: UTF8.self))
        }
    }

    /// The known commands by wire name (one hash lookup instead of comparing with each name).
    static let commands: [String: CommandName] = Dictionary(
        CommandName.allCases.map { ($0.rawValue, $0) }, uniquingKeysWith: { first, _ in first })

    /// The request decoded, or the codec's refusal; issue messages never hold the login's API key.
    func request(_ body: ByteBuffer, command: CommandName) -> Result<ECSSRequest, DocumentError> {
        let bytes = body.readableBytesView
        do {
            return .success(try codec.decodeRequest(bytes, command: command))
        } catch {
            guard command == .login, let key = Self.apiKey(in: Array(bytes)), !key.isEmpty else { return .failure(error) }
            var scrubbed = error
            for index in scrubbed.issues.indices {
                scrubbed.issues[index].message = scrubbed.issues[index].message.replacingAll(key, with: "***")
            }
            return .failure(scrubbed)
        }
    }

    /// The answer decoded as the command's `<out>`, or the codec's refusal.
    func response(_ body: ByteBuffer, command: CommandName) -> Result<CommandResponse, DocumentError> {
        do {
            return .success(try codec.decodeResponse(body.readableBytesView, command: command))
        } catch {
            return .failure(error)
        }
    }

    /// Whether an answer is XML: its `Content-Type` names XML, or it has none and its body
    /// starts with `<`. A plain-text 403 is not.
    static func isXML(contentType: String?, body: ByteBuffer) -> Bool {
        if let contentType {
            // `xml` in any ASCII case; `| 0x20` lower-cases exactly the letters matched here.
            var last2: UInt8 = 0
            var last1: UInt8 = 0
            for byte in contentType.utf8 {
                if last2 | 0x20 == UInt8(ascii: "x"), last1 | 0x20 == UInt8(ascii: "m"), byte | 0x20 == UInt8(ascii: "l") {
                    return true
                }
                (last2, last1) = (last1, byte)
            }
            return false
        }
        return body.readableBytesView.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "<")
    }

    /// The value of the first `api_key` attribute of a login body, however the body is broken,
    /// so that no message repeats it.
    static func apiKey(in bytes: [UInt8]) -> String? {
        let name = Array("api_key".utf8)
        var index = 0
        while index + name.count <= bytes.count {
            defer { index += 1 }
            guard bytes[index..<index + name.count].elementsEqual(name) else { continue }
            var cursor = index + name.count
            func skipSpace() { while cursor < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[cursor]) { cursor += 1 } }
            skipSpace()
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "=") else { continue }
            cursor += 1
            skipSpace()
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\"") || bytes[cursor] == UInt8(ascii: "'") else {
                continue
            }
            let quote = bytes[cursor]
            let start = cursor + 1
            guard let end = bytes[start...].firstIndex(of: quote) else { return String(decoding: bytes[start...], as: UTF8.self) }
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
        return nil
    }
}

extension String {
    /// Every occurrence of `target` replaced with `replacement`.
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
