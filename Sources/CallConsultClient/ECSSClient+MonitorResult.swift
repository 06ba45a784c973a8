public import CallConsultKit

extension ECSSClient {
    /// ECSS-10's answer to `monitor`, which has no `<out>` document: the HTTP status is the
    /// answer.
    ///
    /// ```swift
    /// let start = MonitorRequest(start: [MonitorEvent(name: "conferences")])
    /// switch try await client.monitor(start) {
    /// case .ok: …            // subscribed
    /// case .unknownEvent: …  // ECSS-10 knows no such event (404)
    /// }
    /// ```
    ///
    /// Which event names ECSS-10 knows is not documented. Anything but these two answers is an
    /// ``ECSSClientError``.
    public enum MonitorResult: Sendable, Hashable {
        /// The subscription (`<start>`) or unsubscription (`<stop>`) was accepted: HTTP 2xx
        /// (ECSS-10 documents 200), whatever the body, if any.
        case ok
        /// ECSS-10 answered 404: an event the request names does not exist. Nothing was
        /// subscribed to, and a resend of the same request gets the same answer.
        case unknownEvent

        /// The error reply ``ECSSClient/send(_:logger:)-(ECSSRequest,Logger?)`` gives for a
        /// ``unknownEvent`` answer (in an ``Answer`` of status 404), since `monitor` has no
        /// `<out>` of its own: reason `unknown_event`, cmd `monitor`, no body. It is the client's
        /// reading of the status, not text ECSS-10 sent.
        public static let unknownEventReply = ErrorReply(reason: "unknown_event", command: "monitor")
    }
}
