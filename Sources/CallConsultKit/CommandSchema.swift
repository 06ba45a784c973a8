/// The schema of a command this package does not ship (a newer ECSS-10 release's, or a site's
/// own), compiled from bytes you give, to validate its messages and decode them into a
/// ``MessageElement`` tree.
///
/// ```swift
/// let schema = try CommandSchema(name: "call_pickup", xsd: Array(xsdText.utf8))
/// let tree = try CallConsultCodec().decodeElement(body, as: .request, schema: schema)
/// ```
///
/// The schema is compiled once, when the value is made, and shared read-only by every decode
/// (a value is cheap to copy and safe to use from many tasks at once). Its
/// `<xs:include schemaLocation="error.xsd"/>` is answered with the bundled `error.xsd` (the
/// reconstruction every command schema shares). Any other include, and every `xs:import`,
/// `xs:redefine` or `xs:override`, is refused with ``SchemaError/Kind/refusedReference``, and a
/// DOCTYPE with ``SchemaError/Kind/refusedByPolicy``: nothing is ever read from disk or the
/// network. Requests have the root `in`, responses `out`, as every command of the family.
public struct CommandSchema: Sendable, Hashable, CustomStringConvertible {
    /// The name you gave, e.g. the command's; used in descriptions only.
    public let name: String
    let compiled: CompiledSchema

    /// The largest schema document accepted: 1 MiB.
    public static let maxBytes = 1 << 20

    /// Compiles a schema.
    /// - Parameters:
    ///   - name: A name for the schema, e.g. the command's (`call_pickup`).
    ///   - xsd: The schema document's bytes (UTF-8 unless it declares another encoding).
    /// - Throws: ``SchemaError`` saying why the schema cannot be used.
    public init(name: String, xsd: some Collection<UInt8>) throws(SchemaError) {
        let bytes = Array(xsd)
        guard bytes.count <= Self.maxBytes else {
            throw SchemaError(
                kind: .tooLarge,
                issues: [
                    .init(
                        line: 0, column: 0, element: nil,
                        message:
                            "the schema is \(bytes.count) bytes; at most \(Self.maxBytes) are accepted (CommandSchema.maxBytes)",
                        domain: .policy, code: 0)
                ])
        }
        let result = bytes.withUnsafeBytes { CompiledSchema.compileUser($0, name: name + ".xsd") }
        self.name = name
        self.compiled = try result.get()
    }

    /// Two values are equal when they share one compiled schema (copies of one value).
    public static func == (lhs: CommandSchema, rhs: CommandSchema) -> Bool {
        lhs.compiled === rhs.compiled
    }

    /// Hashes the compiled schema's identity.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(compiled))
    }

    /// `CommandSchema(name)`.
    public var description: String { "CommandSchema(\(name))" }
}
