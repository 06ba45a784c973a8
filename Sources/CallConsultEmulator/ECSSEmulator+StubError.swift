import Foundation

@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSEmulator {
    /// A stub the emulator refuses: not JSON, a field it does not know, or a value it could not
    /// carry out. The admin API answers it 400 with ``description``.
    public struct StubError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The field, as a path of the JSON form (`fault.status`, `answer.error.reason`,
        /// `match.agent_id`); `""` for the document as a whole.
        public var field: String
        /// What is wrong with it.
        public var message: String

        /// Creates an error about `field`.
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }

        /// `field: message`, or the message alone for the whole document.
        public var description: String { field.isEmpty ? message : "\(field): \(message)" }

        /// The error of a `JSONDecoder` decoding a stub, naming the field as its coding path does.
        init(decoding error: any Error) {
            func path(_ codingPath: [any CodingKey]) -> String {
                codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            }
            switch error {
            case DecodingError.keyNotFound(let key, let context):
                self.init(field: path(context.codingPath + [key]), message: "required")
            case DecodingError.typeMismatch(let type, let context):
                self.init(field: path(context.codingPath), message: "expected \(Self.jsonType(type))")
            case DecodingError.valueNotFound(let type, let context):
                self.init(field: path(context.codingPath), message: "expected \(Self.jsonType(type)), got null")
            case DecodingError.dataCorrupted(let context):
                let field = path(context.codingPath)
                // Foundation's message for text that is not JSON names no field; keep it short.
                self.init(field: field, message: field.isEmpty ? "not a JSON object" : context.debugDescription)
            default:
                self.init(field: "", message: "not a JSON object")
            }
        }

        private static func jsonType(_ type: Any.Type) -> String {
            switch type {
            case is Int.Type: "an integer"
            case is Bool.Type: "true or false"
            case is String.Type: "a string"
            default: "an object"
            }
        }
    }
}

@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSEmulator.Stub {
    /// Decodes a stub from its JSON form (the admin API's `POST /__admin/stubs` body, one line of
    /// `serve --stubs`) and checks it as ``ECSSEmulator/addStub(_:)`` does.
    /// - Throws: ``ECSSEmulator/StubError`` naming the field.
    public init(json: some Collection<UInt8>) throws(ECSSEmulator.StubError) {
        do {
            self = try JSONDecoder().decode(Self.self, from: Data(json))
        } catch {
            throw ECSSEmulator.StubError(decoding: error)
        }
        try validate()
    }
}
