extension CallConsultCodec {
    /// Decodes and validates a `call_consult` message, `<in>` or `<out>`, as a tree: every
    /// element, attribute (namespace declarations and `xsi:` attributes included) and piece of
    /// text, as the websocket JSON form carries it.
    ///
    /// - Parameters:
    ///   - body: The bytes exactly as received.
    ///   - kind: Which message the body must be: a request (`<in>`) or a response (`<out>`).
    /// - Throws: ``DocumentError``, exactly as ``decodeRequest(_:)`` or ``decodeResponse(_:)`` would.
    @inlinable
    public func decodeElement(_ body: some Collection<UInt8>, as kind: MessageKind) throws(DocumentError) -> MessageElement {
        try decodeElement(body, as: kind, command: .callConsult)
    }

    /// Decodes and validates a message of any command as a tree, against that command's schema.
    ///
    /// - Parameters:
    ///   - body: The bytes exactly as received.
    ///   - kind: A request (`<in>`, or `<monitor>` for `monitor`) or a response (`<out>`).
    ///   - command: The command whose schema the message is held to.
    /// - Throws: ``DocumentError``, exactly as ``decodeRequest(_:command:)`` or
    ///   ``decodeResponse(_:command:)`` would.
    @inlinable
    public func decodeElement(_ body: some Collection<UInt8>, as kind: MessageKind, command: CommandName) throws(DocumentError)
        -> MessageElement
    {
        let result =
            body.withContiguousStorageIfAvailable { decodeElement(bytes: UnsafeRawBufferPointer($0), as: kind, command: command) }
            ?? Array(body).withUnsafeBytes { decodeElement(bytes: $0, as: kind, command: command) }
        return try result.get()
    }

    @usableFromInline
    func decodeElement(bytes: UnsafeRawBufferPointer, as kind: MessageKind, command: CommandName) -> Result<
        MessageElement, DocumentError
    > {
        decode(
            bytes, TreeCapture.self, schema: .bundled(command.schema), root: kind == .request ? command.requestRoot : .response)
    }

    /// Decodes and validates a message of a command this package does not ship as a tree,
    /// against the schema you compiled (``CommandSchema``). Requests have the root `in`,
    /// responses `out`.
    /// - Throws: ``DocumentError``, with the same limits, safety rules and issue positions as
    ///   every bundled command.
    public func decodeElement(_ body: some Collection<UInt8>, as kind: MessageKind, schema: CommandSchema) throws(DocumentError)
        -> MessageElement
    {
        let result = Array(body).withUnsafeBytes {
            decode($0, TreeCapture.self, schema: .user(schema.compiled), root: kind == .request ? .request : .response)
        }
        return try result.get()
    }

    /// The websocket JSON form of a `call_consult` message, validated first.
    ///
    /// - Throws: ``DocumentError`` when the XML is not a valid message of `kind`.
    public func jsonForm(ofXML body: some Collection<UInt8>, as kind: MessageKind) throws(DocumentError) -> String {
        try decodeElement(body, as: kind).jsonForm()
    }

    /// The websocket JSON form of a message of any command, validated first against the
    /// command's schema.
    ///
    /// - Throws: ``DocumentError`` when the XML is not a valid message of `kind` for `command`.
    public func jsonForm(ofXML body: some Collection<UInt8>, as kind: MessageKind, command: CommandName) throws(DocumentError)
        -> String
    {
        try decodeElement(body, as: kind, command: command).jsonForm()
    }

    /// The websocket JSON form of a message validated against a schema you compiled.
    ///
    /// - Throws: ``DocumentError`` when the XML is not a valid message of `kind` for `schema`.
    public func jsonForm(ofXML body: some Collection<UInt8>, as kind: MessageKind, schema: CommandSchema) throws(DocumentError)
        -> String
    {
        try decodeElement(body, as: kind, schema: schema).jsonForm()
    }

    /// The `call_consult` message written in a websocket JSON form, validated before it is
    /// returned.
    ///
    /// - Throws: ``JSONFormError`` when the text is not the JSON form (or is larger than
    ///   ``DecodingLimits/maxBodyBytes``), ``EncodingError`` when a value cannot be written as
    ///   XML, ``DocumentError`` when the message it holds is not a valid message of `kind`.
    public func xml(fromJSONForm json: String, as kind: MessageKind) throws -> [UInt8] {
        try xml(fromJSONForm: json, as: kind, command: .callConsult)
    }

    /// The message of any command written in a websocket JSON form, validated against the
    /// command's schema before it is returned.
    ///
    /// - Throws: as ``xml(fromJSONForm:as:)``.
    public func xml(fromJSONForm json: String, as kind: MessageKind, command: CommandName) throws -> [UInt8] {
        let xml = try element(fromJSONForm: json).xml()
        _ = try decodeElement(xml, as: kind, command: command)
        return xml
    }

    /// The message written in a websocket JSON form, validated against a schema you compiled
    /// before it is returned.
    ///
    /// - Throws: as ``xml(fromJSONForm:as:)``.
    public func xml(fromJSONForm json: String, as kind: MessageKind, schema: CommandSchema) throws -> [UInt8] {
        let xml = try element(fromJSONForm: json).xml()
        _ = try decodeElement(xml, as: kind, schema: schema)
        return xml
    }

    private func element(fromJSONForm json: String) throws -> MessageElement {
        guard json.utf8.count <= limits.maxBodyBytes else {
            throw JSONFormError(
                message:
                    "the JSON text is \(json.utf8.count) bytes; at most \(limits.maxBodyBytes) are accepted (DecodingLimits.maxBodyBytes)",
                offset: 0)
        }
        return try MessageElement(jsonForm: json)
    }
}
