/// Reads and writes the XML of the `call_consult` command, on both sides of the wire.
///
/// A service that implements or emulates the ECSS-10 endpoint decodes requests with
/// ``decodeRequest(_:)`` and answers with ``encode(_:)-(CallConsultResponse)``; a client encodes
/// requests with ``encode(_:)-(CallConsultRequest)`` and decodes answers with
/// ``decodeResponse(_:)``.
///
/// Decoding parses with libxml2 and validates against the bundled `call_consult.xsd` in the same
/// pass, then checks the root element. It is safe by default: bodies over
/// ``DecodingLimits/maxBodyBytes`` are refused unparsed, DOCTYPEs are refused before anything in
/// them is read, and nothing is ever loaded from the network or from files.
///
/// A codec is a small value: create one wherever convenient, or share one. Every method may be
/// called from many tasks at once: the compiled schema is shared read-only, and each thread that
/// decodes keeps one pair of libxml2 contexts of its own (freed when the thread exits).
public struct CallConsultCodec: Sendable, Hashable {
    /// The bounds every decoded body must keep to.
    public var limits: DecodingLimits

    /// Creates a codec.
    /// - Parameter limits: The bounds decoded bodies must keep to; ``DecodingLimits/default`` if omitted.
    public init(limits: DecodingLimits = .default) {
        self.limits = limits
    }

    // MARK: Decoding

    /// Decodes and validates a request body (`<in><request><call_consult …/></request></in>`).
    ///
    /// - Parameter body: The bytes exactly as received, in any encoding the document declares
    ///   (UTF-8 if none; UTF-16 needs a byte order mark).
    /// - Returns: The request, with attribute values as an XML processor reports them.
    /// - Throws: ``DocumentError`` saying which check refused the body, with every issue found.
    @inlinable
    public func decodeRequest(_ body: some Collection<UInt8>) throws(DocumentError) -> CallConsultRequest {
        // Inlinable, so that the caller's collection type is known here and nothing generic is
        // left to resolve at run time on the hot path.
        let result =
            body.withContiguousStorageIfAvailable { decodeRequest(bytes: UnsafeRawBufferPointer($0)) }
            ?? Array(body).withUnsafeBytes { decodeRequest(bytes: $0) }
        return try result.get()
    }

    @usableFromInline
    func decodeRequest(bytes: UnsafeRawBufferPointer) -> Result<CallConsultRequest, DocumentError> {
        decode(bytes, expecting: .request, buildingTree: false) { session throws(DocumentError) in
            guard let request = session.takeRequest() else {
                throw Self.inconsistent("a valid request without conversation_id or to_number")
            }
            return request
        }
    }

    /// Decodes and validates a response body (`<out>…</out>`).
    ///
    /// - Parameter body: The bytes exactly as received.
    /// - Returns: ``CallConsultResponse/ok`` or ``CallConsultResponse/error(_:)`` with the reply's
    ///   `reason` and `cmd`.
    /// - Throws: ``DocumentError`` saying which check refused the body, with every issue found.
    @inlinable
    public func decodeResponse(_ body: some Collection<UInt8>) throws(DocumentError) -> CallConsultResponse {
        let result =
            body.withContiguousStorageIfAvailable { decodeResponse(bytes: UnsafeRawBufferPointer($0)) }
            ?? Array(body).withUnsafeBytes { decodeResponse(bytes: $0) }
        return try result.get()
    }

    @usableFromInline
    func decodeResponse(bytes: UnsafeRawBufferPointer) -> Result<CallConsultResponse, DocumentError> {
        decode(bytes, expecting: .response, buildingTree: false) { session throws(DocumentError) in
            guard let response = session.takeResponse() else {
                throw Self.inconsistent("a valid response with neither ok nor an error reason")
            }
            return response
        }
    }

    /// Decodes and validates a message, `<in>` or `<out>`, as a tree: every element, attribute
    /// (namespace declarations and `xsi:` attributes included) and piece of text, as the
    /// websocket JSON form carries it.
    ///
    /// - Parameters:
    ///   - body: The bytes exactly as received.
    ///   - kind: Which message the body must be: a request (`<in>`) or a response (`<out>`).
    /// - Throws: ``DocumentError``, exactly as ``decodeRequest(_:)`` or ``decodeResponse(_:)`` would.
    @inlinable
    public func decodeElement(_ body: some Collection<UInt8>, as kind: MessageKind) throws(DocumentError) -> MessageElement {
        let result =
            body.withContiguousStorageIfAvailable { decodeElement(bytes: UnsafeRawBufferPointer($0), as: kind) }
            ?? Array(body).withUnsafeBytes { decodeElement(bytes: $0, as: kind) }
        return try result.get()
    }

    @usableFromInline
    func decodeElement(bytes: UnsafeRawBufferPointer, as kind: MessageKind) -> Result<MessageElement, DocumentError> {
        decode(bytes, expecting: kind == .request ? .request : .response, buildingTree: true) { session throws(DocumentError) in
            guard let tree = session.takeTree() else { throw Self.inconsistent("a valid document without a root element") }
            return tree
        }
    }

    /// The websocket JSON form of an XML message, validated first.
    ///
    /// - Throws: ``DocumentError`` when the XML is not a valid message of `kind`.
    public func jsonForm(ofXML body: some Collection<UInt8>, as kind: MessageKind) throws(DocumentError) -> String {
        try decodeElement(body, as: kind).jsonForm()
    }

    /// The XML message written in a websocket JSON form, validated before it is returned.
    ///
    /// - Throws: ``JSONFormError`` when the text is not the JSON form (or is larger than
    ///   ``DecodingLimits/maxBodyBytes``), ``EncodingError`` when a value cannot be written as
    ///   XML, ``DocumentError`` when the message it holds is not a valid message of `kind`.
    public func xml(fromJSONForm json: String, as kind: MessageKind) throws -> [UInt8] {
        guard json.utf8.count <= limits.maxBodyBytes else {
            throw JSONFormError(
                message:
                    "the JSON text is \(json.utf8.count) bytes; at most \(limits.maxBodyBytes) are accepted (DecodingLimits.maxBodyBytes)",
                offset: 0)
        }
        let element = try MessageElement(jsonForm: json)
        let xml = try element.xml()
        _ = try decodeElement(xml, as: kind)
        return xml
    }

    /// Parses `body` with a session of this thread and, when the document is valid, lets `take`
    /// move what it needs out of the session.
    private func decode<T>(
        _ body: UnsafeRawBufferPointer, expecting root: DocumentRoot, buildingTree: Bool,
        take: (ParseSession) throws(DocumentError) -> T
    ) -> Result<T, DocumentError> {
        guard body.count <= limits.maxBodyBytes, body.count <= Int(Int32.max) else {
            return .failure(
                DocumentError(
                    kind: .tooLarge,
                    issues: [
                        .init(
                            line: 0, column: 0, element: nil,
                            message:
                                "the body is \(body.count) bytes; at most \(limits.maxBodyBytes) are accepted (DecodingLimits.maxBodyBytes)",
                            domain: .policy, code: 0)
                    ]))
        }
        if let refusal = BodyScan.check(body, limit: limits.maxAttributesPerElement) {
            return .failure(refusal)
        }
        let pool: SessionPool
        switch SessionPool.shared {
        case .success(let shared): pool = shared
        case .failure(let error): return .failure(error)
        }
        let outcome = pool.withSession { session -> Result<T, DocumentError> in
            if let error = session.parse(body, expecting: root, limits: limits, buildingTree: buildingTree) {
                return .failure(error)
            }
            return Result { () throws(DocumentError) in try take(session) }
        }
        return outcome ?? .failure(Self.inconsistent("libxml2 could not create a parser context (out of memory?)"))
    }

    private static func inconsistent(_ message: String) -> DocumentError {
        DocumentError(
            kind: .internalFailure,
            issues: [
                .init(line: 0, column: 0, element: nil, message: message, domain: .policy, code: 0)
            ])
    }

    // MARK: Encoding

    /// Encodes a request as an `<in>` body, valid against the bundled schema.
    ///
    /// - Returns: UTF-8 bytes with an XML declaration; send them with
    ///   ``CallConsultResponse/contentType``.
    /// - Throws: ``EncodingError`` when a value holds a character XML 1.0 cannot carry.
    public func encode(_ request: CallConsultRequest) throws(EncodingError) -> [UInt8] {
        var parts: [DocumentWriter.Part] = [
            .markup("<in><request><call_consult"),
            .attribute(name: "conversation_id", value: request.conversationID),
            .attribute(name: "to_number", value: request.toNumber),
        ]
        if let operatorID = request.operatorID {
            parts.append(.attribute(name: "operator_id", value: operatorID))
        }
        parts.append(.markup("/></request></in>\n"))
        return try DocumentWriter.write(parts)
    }

    /// Encodes a response as an `<out>` body, valid against the bundled schema.
    ///
    /// Send it with ``CallConsultResponse/httpStatus`` and ``CallConsultResponse/contentType``.
    /// - Returns: UTF-8 bytes with an XML declaration.
    /// - Throws: ``EncodingError`` when the error's reason or command holds a character XML 1.0
    ///   cannot carry. ``CallConsultResponse/ok`` never throws.
    public func encode(_ response: CallConsultResponse) throws(EncodingError) -> [UInt8] {
        switch response {
        case .ok:
            return Self.okBody
        case .error(let reply):
            var parts: [DocumentWriter.Part] = []
            parts.reserveCapacity(5)
            parts.append(.markup("<out><error"))
            parts.append(.attribute(name: "reason", value: reply.reason))
            if let command = reply.command { parts.append(.attribute(name: "cmd", value: command)) }
            if let body = reply.body { parts.append(.attribute(name: "body", value: body)) }
            parts.append(.markup("/></out>\n"))
            return try DocumentWriter.write(parts)
        }
    }

    private static let okBody: [UInt8] = (try? DocumentWriter.write([.markup("<out><response><ok/></response></out>\n")])) ?? []
}
