public import CallConsultKit
public import Foundation

@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSProxy {
    /// One request through the proxy and its answer, as checked: what `callconsult proxy` prints
    /// a line for. It holds no API key, no cookie value and no body.
    public struct Exchange: Sendable, Hashable {
        /// When the request arrived.
        public var time: Date
        /// The request's method, e.g. `POST`.
        public var method: String
        /// The request's path, without its query.
        public var path: String
        /// The domain of a `/{domain}/service/cc/arm/{command}` path; `nil` for any other path.
        public var domain: String?
        /// The command of such a path when the package knows it; `nil` otherwise (outside the family).
        public var command: CommandName?
        /// The status the client got (the upstream's, or the proxy's own with ``failure``).
        public var status: Int
        /// The decoded request when it is valid (the login's API key is kept in memory only:
        /// print it with `ECSSRequest`'s description or JSON form, which show `***`); `nil` when it
        /// is invalid or not a command's.
        public var request: ECSSRequest?
        /// Whether the request is valid against its command's schema; `nil` when it is not a
        /// known command's `POST`.
        public var requestValid: Bool?
        /// Whether the answer is a valid `<out>` of the command; `nil` when it is not XML (a
        /// plain-text 403 of a lost session, `monitor`'s status-only answer) or was not checked.
        public var responseValid: Bool?
        /// The decoded `<out>` when ``responseValid`` is `true`.
        public var response: CommandResponse?
        /// Every problem found, the request's first, each as the codec reports it (and as
        /// `xmllint --schema` places it).
        public var issues: [Issue]
        /// Why the proxy answered itself instead of passing the upstream's answer on; `nil` when
        /// the answer is the upstream's.
        public var failure: Failure?
        /// From the request's arrival to its answer being ready to write.
        public var duration: Duration

        /// Creates an exchange (the proxy makes them; tests may too).
        public init(
            time: Date, method: String, path: String, domain: String?, command: CommandName?, status: Int,
            request: ECSSRequest?, requestValid: Bool?, responseValid: Bool?, response: CommandResponse?,
            issues: [Issue], failure: Failure?, duration: Duration
        ) {
            self.time = time
            self.method = method
            self.path = path
            self.domain = domain
            self.command = command
            self.status = status
            self.request = request
            self.requestValid = requestValid
            self.responseValid = responseValid
            self.response = response
            self.issues = issues
            self.failure = failure
            self.duration = duration
        }
    }
}
