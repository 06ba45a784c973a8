/// Why a document was not accepted, with every problem found in it.
///
/// The ``kind`` says which check refused the document; ``issues`` lists each problem with its
/// position, the element concerned and libxml2's own message. Errors are collected through
/// libxml2's structured error handlers while the call runs and are never printed.
public struct DocumentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which check refused the document. Each kind has a stable ``code`` for logs and tools.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        /// The stable, machine-readable name of the kind, e.g. `not_valid`.
        public let code: String

        private init(_ code: String) { self.code = code }

        /// The body is larger than ``DecodingLimits/maxBodyBytes``; it was not parsed.
        public static let tooLarge = Kind("too_large")
        /// A safety rule refused the document: a DOCTYPE, or nesting, attributes or encoding
        /// beyond ``DecodingLimits``.
        public static let refusedByPolicy = Kind("refused_by_policy")
        /// The body is not well-formed XML (or not namespace-well-formed).
        public static let notWellFormed = Kind("not_well_formed")
        /// The document is well-formed but its root is not the expected element with no namespace
        /// (`in` for a request, `out` for a response).
        public static let wrongRoot = Kind("wrong_root")
        /// The document is not valid against the bundled schema of its message (`call_consult.xsd`
        /// or `login.xsd`).
        public static let notValid = Kind("not_valid")
        /// The library could not prepare its validator (libxml2 failed to compile the bundled
        /// schema or ran out of memory). Not caused by the document.
        public static let internalFailure = Kind("internal")

        /// The stable ``code``.
        public var description: String { code }
    }

    /// Which layer found an issue.
    public enum Domain: String, Sendable, Hashable, Codable {
        /// XML syntax, encoding or namespaces (libxml2's parser).
        case syntax
        /// XML Schema validity (libxml2's schema validator).
        case schema
        /// CallConsultKit's own safety and root checks.
        case policy
    }

    /// One problem found in a document.
    public struct Issue: Sendable, Hashable, Codable, CustomStringConvertible {
        /// The 1-based line where the problem was found (0 when unknown). For schema and policy
        /// problems about an element, the line on which its start tag ends: the line libxml2
        /// gives the element and `xmllint --schema` reports.
        public var line: Int
        /// The 1-based column where the problem was found (0 when unknown), in characters. For
        /// schema and policy problems about an element, the column of the `<` that starts its
        /// start tag, or, when that tag spans lines, of the `>` (or `/>`) that closes it, so that
        /// ``line`` and ``column`` always point at the tag.
        public var column: Int
        /// The element concerned: for schema problems the element the message names (the parent,
        /// for a child its content model refuses), for syntax problems the innermost open element
        /// up to the first fatal error (libxml2 reports no elements after it); `nil` outside the
        /// root element.
        public var element: String?
        /// The message, as libxml2 words it for syntax and schema problems, on one line. For a
        /// login request, which carries the API key, parser messages quote none of the document's
        /// text.
        public var message: String
        /// Which layer found the problem.
        public var domain: Domain
        /// libxml2's error number (`xmlParserErrors`) naming the rule that was broken; 0 for
        /// ``Domain/policy`` issues.
        public var code: Int

        /// Creates an issue.
        public init(line: Int, column: Int, element: String?, message: String, domain: Domain, code: Int) {
            self.line = line
            self.column = column
            self.element = element
            self.message = message
            self.domain = domain
            self.code = code
        }

        /// `line:column: [element] message`.
        public var description: String {
            let place = element.map { " <\($0)>" } ?? ""
            return "\(line):\(column):\(place) \(message)"
        }
    }

    /// Which check refused the document.
    public var kind: Kind
    /// Every problem found, in document order; never empty.
    public var issues: [Issue]

    /// Creates an error.
    public init(kind: Kind, issues: [Issue]) {
        self.kind = kind
        self.issues = issues
    }

    /// The kind and every issue, one per line.
    public var description: String {
        ([kind.code] + issues.map { "  \($0)" }).joined(separator: "\n")
    }
}
