/// Reads and writes the XML of the `call_consult` command, on both sides of the wire.
///
/// A service that implements or emulates the ECSS-10 endpoint decodes requests with
/// ``decodeRequest(_:)`` and answers with ``encode(_:declaringSchemaLocation:)-(CommandResponse,_)``; a client encodes
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
        decode(bytes, CallConsultRequestCapture.self, schema: .bundled(.callConsult), root: .request)
    }

    /// Decodes and validates a response body (`<out>…</out>`).
    ///
    /// - Parameter body: The bytes exactly as received.
    /// - Returns: ``CommandResponse/ok`` or ``CommandResponse/error(_:)`` with the reply's
    ///   `reason` and `cmd`.
    /// - Throws: ``DocumentError`` saying which check refused the body, with every issue found.
    @inlinable
    public func decodeResponse(_ body: some Collection<UInt8>) throws(DocumentError) -> CommandResponse {
        let result =
            body.withContiguousStorageIfAvailable { decodeResponse(bytes: UnsafeRawBufferPointer($0)) }
            ?? Array(body).withUnsafeBytes { decodeResponse(bytes: $0) }
        return try result.get()
    }

    @usableFromInline
    func decodeResponse(bytes: UnsafeRawBufferPointer) -> Result<CommandResponse, DocumentError> {
        decode(bytes, CommandResponseCapture.self, schema: .bundled(.callConsult), root: .response)
    }

    /// Parses `body` against `schema` with the engine of this thread and, when the document is
    /// valid, returns what `capture` took from it.
    func decode<Capture: MessageCapture>(
        _ body: UnsafeRawBufferPointer, _ capture: Capture.Type, schema: SchemaChoice, root: DocumentRoot
    ) -> Result<Capture.Message, DocumentError> {
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
        let pool: EnginePool
        switch EnginePool.shared {
        case .success(let shared): pool = shared
        case .failure(let error): return .failure(error)
        }
        let outcome = pool.withEngine { engine -> Result<Capture.Message, DocumentError> in
            // The values the capture kept are not held past the decode.
            defer { engine.values.removeAll() }
            var capture = Capture()
            if let error = engine.parse(body, schema: schema, root: root, limits: limits, into: &capture) {
                return .failure(error)
            }
            guard let message = capture.take() else {
                return .failure(ParseEngine.internalFailure("the schema accepted a document the \(Capture.self) could not read"))
            }
            return .success(message)
        }
        return outcome ?? .failure(ParseEngine.internalFailure("libxml2 could not create a parser context (out of memory?)"))
    }

    // MARK: Encoding

    /// Encodes a request as an `<in>` body, valid against the bundled schema.
    ///
    /// - Returns: UTF-8 bytes with an XML declaration; send them with
    ///   ``CommandResponse/contentType``.
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
    /// Send it with ``CommandResponse/httpStatus`` and ``CommandResponse/contentType``.
    /// - Parameters:
    ///   - response: The answer.
    ///   - declaringSchemaLocation: Whether the root names its schema as the vendor's examples
    ///     do: `<out xmlns:xs="http://www.w3.org/2001/XMLSchema-instance"
    ///     xs:noNamespaceSchemaLocation="call_consult.xsd">`. Decoders accept both forms.
    /// - Returns: UTF-8 bytes with an XML declaration.
    /// - Throws: ``EncodingError`` when the error's reason, command or body holds a character
    ///   XML 1.0 cannot carry. ``CommandResponse/ok`` never throws.
    public func encode(_ response: CommandResponse, declaringSchemaLocation: Bool = false) throws(EncodingError) -> [UInt8] {
        switch response {
        case .ok:
            return declaringSchemaLocation ? Self.okBodyWithSchemaLocation : Self.okBody
        case .error:
            return try encode(response, command: .callConsult, declaringSchemaLocation: declaringSchemaLocation)
        }
    }

    private static let okBody: [UInt8] = (try? DocumentWriter.write([.markup("<out><response><ok/></response></out>\n")])) ?? []
    private static let okBodyWithSchemaLocation: [UInt8] =
        (try? DocumentWriter.write([.markup(outWithSchemaLocation), .markup("<response><ok/></response></out>\n")])) ?? []

    /// The vendor's `<out>` start tag, naming the schema (never loaded by a decoder).
    private static let outWithSchemaLocation: StaticString =
        #"<out xmlns:xs="http://www.w3.org/2001/XMLSchema-instance" xs:noNamespaceSchemaLocation="call_consult.xsd">"#
}
