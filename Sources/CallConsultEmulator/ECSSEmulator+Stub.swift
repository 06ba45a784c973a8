public import CallConsultKit

@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSEmulator {
    /// What the emulator does with the requests it matches, instead of the decision: an answer of
    /// your choice, a fault, or both (a fault before the answer), for the next ``times`` requests.
    ///
    /// ```swift
    /// // The next call_hold of conversation c-1 is carried out, then the connection is reset.
    /// let id = try running.emulator.addStub(
    ///     Stub(command: .callHold, match: ["conversation_id": "c-1"], fault: Fault(kind: .resetAfterCommand), times: 1))
    /// ```
    ///
    /// A stub matches a request of its ``command`` (and of its ``domain`` when one is given) whose
    /// attributes, nested ones included, have every value ``match`` gives (by XML name); with a
    /// ``scenario``, only while the scenario is in ``requiredState``. The newest matching stub
    /// wins; with none, the decision answers. Stubs apply after the session check: a command
    /// without a live session gets the lost-session 403 whatever the stubs say. A stub matches
    /// valid requests only (a body that is not a valid request is answered 400), except a
    /// ``Fault/Kind/resetBeforeBody`` stub, which matches on the request's head.
    ///
    /// Its `Codable` form is the admin API's (`POST /__admin/stubs`) and `serve --stubs`' JSON:
    /// `{"command": "call_hold", "match": {"conversation_id": "c-1"}, "answer": {"error":
    /// {"reason": "cannot_perform_cmd"}}, "status": 403, "fault": {"kind": "delay", "delay_ms":
    /// 200}, "times": 1, "scenario": "hold", "required_state": "Started", "new_state": "held"}`.
    /// Decoding refuses an unknown key, naming it. ``ECSSEmulator/addStub(_:)`` checks the rest.
    public struct Stub: Sendable, Hashable {
        /// The command it matches (`login` included, for a fault only).
        public var command: CommandName
        /// The domain it matches; `nil`: every domain.
        public var domain: String?
        /// Attribute values the request must have, by XML name (`conversation_id`, `agent_id`; for
        /// `add_participant` `conference_id`, `number`, `conversation_id` of any participant; for
        /// `monitor` `name`, `entity`, `timestamp` of any event). Empty: every request matches.
        public var match: [String: String]
        /// The answer: `CommandResponse.ok` or an error reply, encoded by the codec against the
        /// command's schema. `nil`: the decision's answer. Never on `login`.
        public var answer: CommandResponse?
        /// The HTTP status of the answer; `nil`: the command's (200 for ok,
        /// `CommandName.errorStatus` for an error reply; for `monitor`, 200 or 404).
        public var status: Int?
        /// A fault, instead of or before the answer; `nil`: none.
        public var fault: Fault?
        /// How many matching requests it applies to before it expires (is removed); `nil`: until
        /// it is removed.
        public var times: Int?
        /// The scenario it belongs to; every scenario starts in ``ECSSEmulator/startedState``.
        public var scenario: String?
        /// The state its ``scenario`` must be in for it to match; `nil`: any state.
        public var requiredState: String?
        /// The state its ``scenario`` moves to when it applies; `nil`: unchanged.
        public var newState: String?

        /// Creates a stub; ``ECSSEmulator/addStub(_:)`` checks it.
        public init(
            command: CommandName, domain: String? = nil, match: [String: String] = [:], answer: CommandResponse? = nil,
            status: Int? = nil, fault: Fault? = nil, times: Int? = nil, scenario: String? = nil,
            requiredState: String? = nil, newState: String? = nil
        ) {
            self.command = command
            self.domain = domain
            self.match = match
            self.answer = answer
            self.status = status
            self.fault = fault
            self.times = times
            self.scenario = scenario
            self.requiredState = requiredState
            self.newState = newState
        }
    }

    /// The state every scenario starts in: `Started`.
    public static let startedState = "Started"

    /// A way for an exchange to go wrong, as a server or the network between may make it.
    public struct Fault: Sendable, Hashable {
        /// What goes wrong.
        public var kind: Kind
        /// For ``Kind/delay``: how long to wait before answering, in milliseconds.
        public var delayMilliseconds: Int?
        /// For ``Kind/http``: the status to answer (required).
        public var status: Int?
        /// For ``Kind/http``: the `Content-Type`; `nil`: `text/plain; charset=utf-8`.
        public var contentType: String?
        /// For ``Kind/http``: the body; `nil`: none.
        public var body: String?
        /// For ``Kind/http``: extra header fields, e.g. `["Retry-After": "5"]`.
        public var headers: [String: String]

        /// Creates a fault.
        public init(
            kind: Kind, delayMilliseconds: Int? = nil, status: Int? = nil, contentType: String? = nil, body: String? = nil,
            headers: [String: String] = [:]
        ) {
            self.kind = kind
            self.delayMilliseconds = delayMilliseconds
            self.status = status
            self.contentType = contentType
            self.body = body
            self.headers = headers
        }

        /// Waits ``delayMilliseconds``, then answers.
        public static func delay(milliseconds: Int) -> Fault { Fault(kind: .delay, delayMilliseconds: milliseconds) }

        /// Answers `status` with a body and headers of your choice; the command is not carried out.
        public static func http(
            status: Int, contentType: String? = nil, body: String? = nil, headers: [String: String] = [:]
        ) -> Fault {
            Fault(kind: .http, status: status, contentType: contentType, body: body, headers: headers)
        }

        /// The kinds of fault. Its raw value is the admin API's `kind`.
        public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
            /// Wait `delay_ms`, then answer. Carried out at once; journaled when the delay ends,
            /// with the status sent, or with none (``ECSSEmulator/Exchange/sentStatus`` `nil`)
            /// when the connection closed during the delay (the client reset it). A client that
            /// only shuts down its sending side may still read the answer, as HTTP allows: its
            /// answer is sent and journaled.
            case delay
            /// Read the request and never answer; the connection stays open until the client
            /// leaves or the emulator stops. Carried out.
            case stall
            /// Close (reset) the connection after the request's head, its body unread. Not
            /// carried out.
            case resetBeforeBody = "reset_before_body"
            /// Read and carry out the command, journal it, then close (reset) the connection with
            /// no answer: delivered, unanswered.
            case resetAfterCommand = "reset_after_command"
            /// Announce the whole answer's `Content-Length`, send half of it, close. Carried out.
            case truncated
            /// Answer ``Fault/status`` with a content type, body and headers of your choice (a
            /// proxy's 502 page, a 503 with `Retry-After`). Not carried out.
            case http
            /// End the session and answer 403 `Session is not valid` as a lost session is. Not
            /// carried out.
            case sessionLost = "session_lost"

            /// Whether the command counts as done (journaled as `carried_out`).
            public var carriesOut: Bool {
                switch self {
                case .delay, .stall, .resetAfterCommand, .truncated: true
                case .resetBeforeBody, .http, .sessionLost: false
                }
            }
        }
    }

    /// A registered stub: its id, the stub, and how many more requests it applies to.
    public struct RegisteredStub: Sendable, Hashable {
        /// The id ``ECSSEmulator/addStub(_:)`` returned.
        public var id: String
        /// The stub as registered.
        public var stub: Stub
        /// How many more matching requests it applies to; `nil`: until removed.
        public var remaining: Int?
    }
}
