/// Every command of the family, through one entry point each way.
extension CallConsultCodec {
    /// Decodes and validates the request of any command against that command's bundled schema.
    ///
    /// ```swift
    /// let request = try codec.decodeRequest(body, command: .callHold)
    /// if case .callHold(let hold) = request { … }
    /// ```
    /// - Parameters:
    ///   - body: The bytes exactly as received.
    ///   - command: The command the body must be a request of (the path's last segment).
    /// - Returns: The request; ``ECSSCommand/init(_:)`` of the command's model takes it out.
    /// - Throws: ``DocumentError``, with the same limits, safety rules and issue positions for
    ///   every command. `monitor`'s root is `<monitor>`, every other command's `<in>`.
    @inlinable
    public func decodeRequest(_ body: some Collection<UInt8>, command: CommandName) throws(DocumentError) -> ECSSRequest {
        let result =
            body.withContiguousStorageIfAvailable { decodeRequest(bytes: UnsafeRawBufferPointer($0), command: command) }
            ?? Array(body).withUnsafeBytes { decodeRequest(bytes: $0, command: command) }
        return try result.get()
    }

    @usableFromInline
    func decodeRequest(bytes: UnsafeRawBufferPointer, command: CommandName) -> Result<ECSSRequest, DocumentError> {
        func flat<Command: FlatCommand>(_: Command.Type) -> Result<ECSSRequest, DocumentError> {
            decode(bytes, FlatRequestCapture<Command>.self, schema: .bundled(command.schema), root: .request).map(\.request)
        }
        switch command {
        case .login: return decodeLoginRequest(bytes: bytes).map(ECSSRequest.login)
        case .callConsult: return decodeRequest(bytes: bytes).map(ECSSRequest.callConsult)
        case .callHold: return flat(CallHoldRequest.self)
        case .callUnhold: return flat(CallUnholdRequest.self)
        case .callUnattendedTransfer: return flat(CallUnattendedTransferRequest.self)
        case .blockOperator: return flat(BlockOperatorRequest.self)
        case .unblockOperator: return flat(UnblockOperatorRequest.self)
        case .auxWork: return flat(AuxWorkRequest.self)
        case .removeParticipant: return flat(RemoveParticipantRequest.self)
        case .addParticipant:
            return decode(bytes, AddParticipantCapture.self, schema: .bundled(.addParticipant), root: .request)
                .map(ECSSRequest.addParticipant)
        default:
            return decode(bytes, MonitorCapture.self, schema: .bundled(.monitor), root: .monitor).map(ECSSRequest.monitor)
        }
    }

    /// Decodes and validates a request of the command `type` models.
    ///
    /// ```swift
    /// let hold = try codec.decode(CallHoldRequest.self, from: body)
    /// ```
    /// - Throws: ``DocumentError`` as ``decodeRequest(_:command:)`` does.
    @inlinable
    public func decode<Command: ECSSCommand>(_ type: Command.Type, from body: some Collection<UInt8>) throws(DocumentError)
        -> Command
    {
        guard let command = Command(try decodeRequest(body, command: Command.name)) else {
            throw DocumentError(
                kind: .internalFailure,
                issues: [
                    .init(
                        line: 0, column: 0, element: nil, message: "\(Command.self) does not model \(Command.name)",
                        domain: .policy, code: 0)
                ])
        }
        return command
    }

    /// Encodes the request of any command, valid against its schema: an `<in>` (a `<monitor>`
    /// for `monitor`).
    ///
    /// - Returns: UTF-8 bytes with an XML declaration; send them with
    ///   ``CommandResponse/contentType`` to `/<DOMAIN>/service/cc/arm/<command>`.
    /// - Throws: ``EncodingError`` when a value holds a character XML 1.0 cannot carry.
    public func encode(_ command: some ECSSCommand) throws(EncodingError) -> [UInt8] {
        try encode(command.request)
    }

    /// Encodes a request held by the enum of every command's request (see ``encode(_:)-(ECSSCommand)``).
    public func encode(_ request: ECSSRequest) throws(EncodingError) -> [UInt8] {
        switch request {
        case .login(let login): try encode(login)
        case .callConsult(let consult): try encode(consult)
        case .callHold(let hold): try hold.encodeDocument()
        case .callUnhold(let unhold): try unhold.encodeDocument()
        case .callUnattendedTransfer(let transfer): try transfer.encodeDocument()
        case .blockOperator(let block): try block.encodeDocument()
        case .unblockOperator(let unblock): try unblock.encodeDocument()
        case .auxWork(let auxWork): try auxWork.encodeDocument()
        case .addParticipant(let add): try add.encodeDocument()
        case .removeParticipant(let remove): try remove.encodeDocument()
        case .monitor(let monitor): try monitor.encodeDocument()
        }
    }

    /// Decodes and validates the `<out>` answer to any command against that command's schema.
    ///
    /// - Parameters:
    ///   - body: The bytes exactly as received, whatever the HTTP status (some commands answer
    ///     errors with 200, others with 403: the body tells).
    ///   - command: The command the answer is to. `monitor` has no `<out>`: every body is refused.
    /// - Returns: ``CommandResponse/ok`` or ``CommandResponse/error(_:)`` with the reply's values.
    /// - Throws: ``DocumentError`` saying which check refused the body.
    @inlinable
    public func decodeResponse(_ body: some Collection<UInt8>, command: CommandName) throws(DocumentError)
        -> CommandResponse
    {
        let result =
            body.withContiguousStorageIfAvailable { decodeResponse(bytes: UnsafeRawBufferPointer($0), command: command) }
            ?? Array(body).withUnsafeBytes { decodeResponse(bytes: $0, command: command) }
        return try result.get()
    }

    @usableFromInline
    func decodeResponse(bytes: UnsafeRawBufferPointer, command: CommandName) -> Result<CommandResponse, DocumentError> {
        decode(bytes, CommandResponseCapture.self, schema: .bundled(command.schema), root: .response)
    }

    /// Encodes the `<out>` answer to `command`.
    ///
    /// Send it with ``CommandResponse/httpStatus(for:)`` and ``CommandResponse/contentType``.
    /// - Parameters:
    ///   - response: The answer. `login`'s schema allows only ``CommandResponse/ok`` (a refused
    ///     login is answered with plain text), and `monitor` has no `<out>` at all: an error reply
    ///     to either is written all the same, but is not valid against their schemas.
    ///   - command: The command answered: its schema is the one the root names.
    ///   - declaringSchemaLocation: Whether the root names its schema as the vendor's examples
    ///     do: `<out xmlns:xs="http://www.w3.org/2001/XMLSchema-instance"
    ///     xs:noNamespaceSchemaLocation="call_hold.xsd">`. Decoders accept both forms.
    /// - Throws: ``EncodingError`` when the error's reason, command or body holds a character
    ///   XML 1.0 cannot carry.
    public func encode(_ response: CommandResponse, command: CommandName, declaringSchemaLocation: Bool = false)
        throws(EncodingError) -> [UInt8]
    {
        var parts: [DocumentWriter.Part] = [
            .markup(declaringSchemaLocation ? #"<out xmlns:xs="http://www.w3.org/2001/XMLSchema-instance""# : "<out>")
        ]
        if declaringSchemaLocation {
            parts.append(.dynamicAttribute(name: "xs:noNamespaceSchemaLocation", value: command.schemaFileName))
            parts.append(.markup(">"))
        }
        switch response {
        case .ok:
            parts.append(.markup("<response><ok/></response></out>\n"))
        case .error(let reply):
            parts.append(.markup("<error"))
            parts.append(.attribute(name: "reason", value: reply.reason))
            if let command = reply.command { parts.append(.attribute(name: "cmd", value: command)) }
            if let body = reply.body { parts.append(.attribute(name: "body", value: body)) }
            parts.append(.markup("/></out>\n"))
        }
        return try DocumentWriter.write(parts)
    }

    // MARK: Notifications

    /// Decodes and validates a conference notification against the bundled
    /// `conferences_event.xsd` (root `<event>`).
    /// - Throws: ``DocumentError`` saying which check refused the body.
    public func decodeConferencesEvent(_ body: some Collection<UInt8>) throws(DocumentError) -> ConferencesEvent {
        let result = Array(body).withUnsafeBytes {
            decode($0, ConferencesEventCapture.self, schema: .bundled(.conferencesEvent), root: .event)
        }
        return try result.get()
    }

    /// Decodes and validates a notification of a conference's participants against the bundled
    /// `conference_participants_event.xsd` (root `<event>`).
    /// - Throws: ``DocumentError`` saying which check refused the body.
    public func decodeConferenceParticipantsEvent(_ body: some Collection<UInt8>) throws(DocumentError)
        -> ConferenceParticipantsEvent
    {
        let result = Array(body).withUnsafeBytes {
            decode($0, ConferenceParticipantsEventCapture.self, schema: .bundled(.conferenceParticipantsEvent), root: .event)
        }
        return try result.get()
    }
}
