@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSProxy {
    /// A problem in the request or the answer: where it is and what it is.
    public struct Issue: Sendable, Hashable {
        /// Which document holds it.
        public enum Document: String, Sendable, Hashable {
            /// The request body.
            case request
            /// The answer body.
            case response
        }

        /// The request or the answer.
        public var which: Document
        /// The 1-based line (0 when the issue has no place, e.g. a body over the limit).
        public var line: Int
        /// The 1-based column (0 when unknown).
        public var column: Int
        /// The codec's message (never holding the login's API key).
        public var message: String

        /// Creates an issue.
        public init(which: Document, line: Int, column: Int, message: String) {
            self.which = which
            self.line = line
            self.column = column
            self.message = message
        }
    }
}
