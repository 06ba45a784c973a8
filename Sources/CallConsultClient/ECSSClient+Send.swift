public import CallConsultKit
public import Logging

/// Sending any command: one path for every command of the family.
extension ECSSClient {
    /// Sends a command and returns ECSS-10's answer with its HTTP status.
    ///
    /// ```swift
    /// let answer = try await client.send(CallHoldRequest(conversationID: id))
    /// // answer.status: 200 or 403; answer.response: .ok or .error(reply)
    /// ```
    ///
    /// The answer is the decoded `<out>` whatever the status that carried it (`block_operator`,
    /// `unblock_operator`, `auxwork` and `add_participant` answer errors with 200). `monitor` has
    /// no `<out>`: its 2xx is `.ok`, and its 404 (an event ECSS-10 does not know) is `.error` with
    /// ``MonitorResult/unknownEventReply``; ``monitor(_:logger:)`` gives it as a
    /// ``MonitorResult``.
    ///
    /// Logs in first when there is no session. An answer that is not an `<out>` document with
    /// status 401 or 403 means the session was lost and the command not carried out: the client
    /// logs in again once and sends the command once more. Nothing else is ever resent: no
    /// command of the family is idempotent.
    ///
    /// `login` is the session's business, not a command to send: a `LoginRequest` given here (in
    /// generic code; a call naming one does not compile) is refused with
    /// ``ECSSClientError/Kind/unsupportedCommand`` before anything is sent.
    /// - Parameters:
    ///   - command: The command's request, e.g. a `CallHoldRequest`.
    ///   - logger: Where the client logs, at debug and trace only; silent by default.
    /// - Throws: ``ECSSClientError``, `CancellationError`, or `EncodingError` (nothing sent).
    public func send(_ command: some ECSSCommand, logger: Logger? = nil) async throws -> Answer {
        try await send(command.request, logger: logger)
    }

    /// Sends the command `request` holds, chosen at run time, as
    /// ``send(_:logger:)-(ECSSCommand,Logger?)`` does.
    ///
    /// ```swift
    /// let request = try codec.decodeRequest(body, command: name)  // any command of the family
    /// let answer = try await client.send(request)
    /// ```
    /// - Parameters:
    ///   - request: Any command's request but `login` (refused with
    ///     ``ECSSClientError/Kind/unsupportedCommand``, nothing sent).
    ///   - logger: Where the client logs, at debug and trace only; silent by default.
    /// - Throws: ``ECSSClientError``, `CancellationError`, or `EncodingError` (nothing sent).
    public func send(_ request: ECSSRequest, logger: Logger? = nil) async throws -> Answer {
        let command = request.command
        guard command != .login else { throw Self.loginIsNotSent() }
        var callLogger = logger ?? Self.silentLogger
        if callLogger.logLevel <= .debug, let conversationID = Self.conversationID(of: request) {
            // The client logs at debug and trace only.
            callLogger[metadataKey: "ecss.conversation_id"] = .string(conversationID)
        }
        let logger = callLogger
        let body = try codec.encode(request)
        let start = ContinuousClock.now
        let deadline = start + configuration.timeout
        let progress = CommandProgress(command: command)
        if instruments.areOff {
            return try await call(body, deadline: deadline, progress: progress, logger: logger)
        }
        return try await instruments.observe(command, domain: configuration.domain, start: start, progress: progress) {
            try await self.call(body, deadline: deadline, progress: progress, logger: logger)
        }
    }

    /// One call: its attempts, as the retry policy allows, under its one deadline.
    private func call(_ body: [UInt8], deadline: ContinuousClock.Instant, progress: CommandProgress, logger: Logger)
        async throws -> Answer
    {
        try await Self.withDeadline(deadline, progress: progress, timer: deadlines) {
            try await self.withRetries(deadline: deadline, progress: progress, logger: logger) {
                try await self.sendOnce(body, deadline: deadline, progress: progress, logger: logger)
            }
        }
    }

    /// Not available: the client logs in by itself before its first command, and again once
    /// when a session is lost. Call ``login(logger:)`` to log in now.
    @available(*, unavailable, message: "login is the session's business: call login(logger:)")
    public func send(_ login: LoginRequest, logger: Logger? = nil) async throws -> Answer {
        throw Self.loginIsNotSent()
    }

    /// ``ECSSClientError/Kind/unsupportedCommand`` for a login given to `send`.
    static func loginIsNotSent() -> ECSSClientError {
        ECSSClientError(
            kind: .unsupportedCommand,
            message: "login is not sent as a command: the client logs in by itself; call login(logger:) to log in now",
            mayHaveBeenDelivered: false)
    }

    /// The conversation a request is about, for the call's log lines: `conversation_id`, or the
    /// transfer's `original_conversation_id`; `nil` for the other commands.
    static func conversationID(of request: ECSSRequest) -> String? {
        switch request {
        case .callConsult(let consult): consult.conversationID
        case .callHold(let hold): hold.conversationID
        case .callUnhold(let unhold): unhold.conversationID
        case .callUnattendedTransfer(let transfer): transfer.originalConversationID
        default: nil
        }
    }
}
