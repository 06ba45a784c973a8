extension CallConsultCodec {
    /// Decodes and validates a login request body (`<in><request client_id="…" api_key="…"
    /// phone_number="…"/></in>`) against the bundled `login.xsd`, with the same limits and
    /// safety rules as every other message.
    ///
    /// - Parameter body: The bytes exactly as received.
    /// - Returns: The request; its API key is never shown by its descriptions.
    /// - Throws: ``DocumentError`` saying which check refused the body. Issues quote libxml2's
    ///   messages, which name elements and attributes but never attribute values.
    @inlinable
    public func decodeLoginRequest(_ body: some Collection<UInt8>) throws(DocumentError) -> LoginRequest {
        let result =
            body.withContiguousStorageIfAvailable { decodeLoginRequest(bytes: UnsafeRawBufferPointer($0)) }
            ?? Array(body).withUnsafeBytes { decodeLoginRequest(bytes: $0) }
        return try result.get()
    }

    @usableFromInline
    func decodeLoginRequest(bytes: UnsafeRawBufferPointer) -> Result<LoginRequest, DocumentError> {
        decode(bytes, LoginRequestCapture.self, schema: .bundled(.login), root: .request)
    }

    /// Decodes and validates a login answer body (`<out><response><ok/></response></out>`)
    /// against the bundled `login.xsd`.
    ///
    /// - Parameter body: The bytes exactly as received.
    /// - Throws: ``DocumentError`` saying which check refused the body.
    @inlinable
    public func decodeLoginResponse(_ body: some Collection<UInt8>) throws(DocumentError) -> LoginResponse {
        let result =
            body.withContiguousStorageIfAvailable { decodeLoginResponse(bytes: UnsafeRawBufferPointer($0)) }
            ?? Array(body).withUnsafeBytes { decodeLoginResponse(bytes: $0) }
        return try result.get()
    }

    @usableFromInline
    func decodeLoginResponse(bytes: UnsafeRawBufferPointer) -> Result<LoginResponse, DocumentError> {
        decode(bytes, LoginResponseCapture.self, schema: .bundled(.login), root: .response)
    }

    /// Encodes a login request as an `<in>` body, valid against the bundled `login.xsd`.
    ///
    /// - Returns: UTF-8 bytes with an XML declaration; send them with
    ///   ``CommandResponse/contentType``.
    /// - Throws: ``EncodingError`` when a value holds a character XML 1.0 cannot carry; the
    ///   error names the attribute, never its value.
    public func encode(_ request: LoginRequest) throws(EncodingError) -> [UInt8] {
        try DocumentWriter.write([
            .markup("<in><request"),
            .attribute(name: "client_id", value: request.clientID),
            .attribute(name: "api_key", value: request.apiKey),
            .attribute(name: "phone_number", value: request.phoneNumber),
            .markup("/></in>\n"),
        ])
    }

    /// Encodes a login answer as an `<out>` body, valid against the bundled `login.xsd`.
    ///
    /// - Parameters:
    ///   - response: The answer.
    ///   - declaringSchemaLocation: Whether the root names its schema as the vendor's examples
    ///     do: `<out xmlns:xs="http://www.w3.org/2001/XMLSchema-instance"
    ///     xs:noNamespaceSchemaLocation="login.xsd">`.
    /// - Returns: UTF-8 bytes with an XML declaration.
    public func encode(_ response: LoginResponse, declaringSchemaLocation: Bool = false) -> [UInt8] {
        switch response {
        case .ok: declaringSchemaLocation ? Self.loginOKWithSchemaLocation : Self.loginOK
        }
    }

    private static let loginOK: [UInt8] =
        (try? DocumentWriter.write([.markup("<out><response><ok/></response></out>\n")])) ?? []
    private static let loginOKWithSchemaLocation: [UInt8] =
        (try? DocumentWriter.write([
            .markup(#"<out xmlns:xs="http://www.w3.org/2001/XMLSchema-instance" xs:noNamespaceSchemaLocation="login.xsd">"#),
            .markup("<response><ok/></response></out>\n"),
        ])) ?? []
}
