public import CallConsultKit

extension ECSSClient {
    /// An answer to `call_consult` with its HTTP status: what ``ECSSClient/send(_:logger:)``
    /// returns for callers that report the status (as `callconsult send --json` does).
    public struct Answer: Sendable, Hashable {
        /// The HTTP status (ECSS-10 documents 200 for ok and 403 for an error reply; a sibling
        /// command answers errors with 200, so the ``response`` decides, not the status).
        public var status: Int
        /// The decoded `<out>`: ok, or the error reply with its reason, cmd and body.
        public var response: CommandResponse

        /// Creates an answer.
        public init(status: Int, response: CommandResponse) {
            self.status = status
            self.response = response
        }
    }
}
