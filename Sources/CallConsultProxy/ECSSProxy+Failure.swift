@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSProxy {
    /// Why the proxy answered a request itself: a stable ``Kind`` code, the status it answered
    /// with, and a sentence (never holding a credential, a cookie or a body).
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// What went wrong; codes may be added in later versions.
        public struct Kind: Sendable, Hashable, CustomStringConvertible {
            /// The stable code, e.g. `upstream_timeout`.
            public let code: String
            private init(_ code: String) { self.code = code }

            /// The upstream could not be reached (refused, reset, name not resolved, TLS failed): 502.
            public static let upstreamUnreachable = Kind("upstream_unreachable")
            /// The upstream answered something that is not HTTP, or closed mid-answer: 502.
            public static let upstreamGarbage = Kind("upstream_garbage")
            /// The upstream's answer body is over `DecodingLimits.maxBodyBytes`: 502.
            public static let answerTooLarge = Kind("answer_too_large")
            /// The upstream did not answer within ``Configuration/upstreamTimeout``: 504.
            public static let upstreamTimeout = Kind("upstream_timeout")
            /// The request body is over `DecodingLimits.maxBodyBytes`: 413, not forwarded.
            public static let requestTooLarge = Kind("request_too_large")
            /// The request body could not be read (the connection broke, a bad chunk): 400 with
            /// the parser's reason in plain text, then the connection closes; not forwarded.
            public static let requestUnreadable = Kind("request_unreadable")
            /// With ``Configuration/strict``, the request is not valid: 400, not forwarded.
            public static let invalidRequest = Kind("invalid_request")

            /// The code.
            public var description: String { code }
        }

        /// What went wrong.
        public var kind: Kind
        /// The status the client got: 502, 504, 413 or 400.
        public var status: Int
        /// Why, in a sentence.
        public var message: String

        /// Creates a failure.
        public init(kind: Kind, status: Int, message: String) {
            self.kind = kind
            self.status = status
            self.message = message
        }

        /// `code: message`.
        public var description: String { "\(kind.code): \(message)" }
    }
}
