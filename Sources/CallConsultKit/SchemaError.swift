/// Why a schema given as bytes (``CommandSchema``) could not be used.
///
/// Like ``DocumentError``, it has a ``kind`` with a stable code and the ``issues`` found, each
/// with its line (in the schema document) and libxml2's message where libxml2 found it.
public struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which check refused the schema. Each kind has a stable ``code``.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        /// The stable, machine-readable name of the kind, e.g. `refused_reference`.
        public let code: String

        private init(_ code: String) { self.code = code }

        /// The schema is larger than ``CommandSchema/maxBytes``; it was not parsed.
        public static let tooLarge = Kind("too_large")
        /// A safety rule refused the schema: it has a DOCTYPE declaration.
        public static let refusedByPolicy = Kind("refused_by_policy")
        /// The schema names another document: an `xs:include` of anything but `error.xsd`, or an
        /// `xs:import`, `xs:redefine` or `xs:override`. Nothing is ever read from disk or the
        /// network, so such a schema cannot be compiled.
        public static let refusedReference = Kind("refused_reference")
        /// The schema is not well-formed XML.
        public static let notWellFormed = Kind("not_well_formed")
        /// The document is not an XML Schema libxml2 can compile (its root is not `xs:schema`, or
        /// a component is wrong).
        public static let invalid = Kind("invalid_schema")
        /// libxml2 could not do its part (out of memory). Not caused by the schema.
        public static let internalFailure = Kind("internal")

        /// The stable ``code``.
        public var description: String { code }
    }

    /// Which check refused the schema.
    public var kind: Kind
    /// Every problem found; never empty.
    public var issues: [DocumentError.Issue]

    /// Creates an error.
    public init(kind: Kind, issues: [DocumentError.Issue]) {
        self.kind = kind
        self.issues = issues
    }

    /// The kind and every issue, one per line.
    public var description: String {
        ([kind.code] + issues.map { "  \($0)" }).joined(separator: "\n")
    }
}
