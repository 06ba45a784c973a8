public import CallConsultKit

extension ECSSClient {
    /// An answer to a command with its HTTP status: what
    /// ``ECSSClient/send(_:logger:)-(ECSSCommand,Logger?)`` returns for callers that report the
    /// status (as `callconsult send --json` does).
    public struct Answer: Sendable, Hashable {
        /// The HTTP status: 200 for ok; 403 for an error reply of most commands, but 200 for
        /// one of `block_operator`, `unblock_operator`, `auxwork` and `add_participant`, so the
        /// ``response`` decides, not the status. For `monitor`, 2xx or 404.
        public var status: Int
        /// The decoded `<out>`: ok, or the error reply with its reason, cmd and body. For
        /// `monitor`, which has no `<out>`: `.ok` for 2xx, and
        /// ``ECSSClient/MonitorResult/unknownEventReply`` for 404.
        public var response: CommandResponse

        /// Creates an answer.
        public init(status: Int, response: CommandResponse) {
            self.status = status
            self.response = response
        }
    }
}
