extension CallConsultCodec {
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
        decode(bytes, TreeCapture.self, schema: .callConsult, root: kind == .request ? .request : .response)
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
}
