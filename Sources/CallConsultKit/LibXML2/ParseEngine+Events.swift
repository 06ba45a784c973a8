import CLibXML2

/// An element whose start tag has been read, and where that tag is.
struct OpenElement {
    /// The local name, interned in the parser's dictionary (the same pointer is the same name).
    let name: UnsafePointer<xmlChar>
    /// Where the parser stood when it reported the start tag: on its closing `>`.
    let line: Int32
    let column: Int32
    /// The parser's cursor then, valid while ``ParseEngine/chunkSerial`` is `chunk`.
    let cursor: UnsafePointer<xmlChar>?
    let chunk: Int32
    /// The position of the tag's `<` (or `>`), once found (see ``ParseEngine/tagPosition(at:)``);
    /// 0 until then.
    var startLine: Int32 = 0
    var startColumn: Int32 = 0
}

extension ParseEngine {
    func startElement(
        _ localName: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?, namespace: UnsafePointer<xmlChar>?,
        namespaceCount: Int, namespaces: UnsafePointer<UnsafePointer<xmlChar>?>?,
        attributeCount: Int, attributes: UnsafePointer<UnsafePointer<xmlChar>?>?
    ) {
        let input = parser.pointee.input
        let element = OpenElement(
            name: localName, line: input?.pointee.line ?? 0, column: input?.pointee.col ?? 0,
            cursor: input?.pointee.cur, chunk: chunkSerial)
        // The stack keeps closed elements above `depth` until a start tag overwrites them, so that
        // the element closed last stays at hand without being copied.
        if depth == openCapacity { growOpenElements() }
        (openElements + depth).initialize(to: element)
        depth += 1
        storedElements = depth
        lastEvent = .start
        if depth > limits.maxDepth {
            refuse(.refusedByPolicy, "elements are nested deeper than \(limits.maxDepth) levels (DecodingLimits.maxDepth)")
            return
        }
        if namespaceCount + attributeCount > limits.maxAttributesPerElement {
            refuse(
                .refusedByPolicy,
                "the start tag carries \(namespaceCount + attributeCount) attributes; at most \(limits.maxAttributesPerElement) are accepted (DecodingLimits.maxAttributesPerElement)"
            )
            return
        }
        let tag = StartTag(
            depth: depth, localName: XMLName(pointer: localName), prefix: prefix.map(XMLName.init),
            namespaceURI: namespace.map(XMLName.init), namespaceCount: namespaceCount, namespaces: namespaces,
            attributeCount: attributeCount, attributes: attributes, values: Unmanaged.passUnretained(values))
        if depth == 1, namespace != nil || !tag.localName.equals(root.name) {
            let found = tag.namespaceURI.map { "{\($0.string)}" } ?? ""
            refuse(
                .wrongRoot,
                "the root element is '\(found)\(tag.localName.string)'; \(root.what) has the root element '\(root.name)' with no namespace"
            )
            return
        }
        if let capture { captureType.start(capture, tag) }
    }

    /// Doubles the room for open elements (a document deeper than any seen on this thread).
    private func growOpenElements() {
        let grown = UnsafeMutablePointer<OpenElement>.allocate(capacity: openCapacity * 2)
        grown.moveInitialize(from: openElements, count: storedElements)
        openElements.deallocate()
        openElements = grown
        openCapacity *= 2
    }

    func endElement() {
        lastEvent = .end
        if depth > 0 { depth -= 1 }
        if captureWantsEnd, let capture { captureType.end(capture) }
    }

    func characters(_ characters: UnsafePointer<xmlChar>?, _ length: Int) {
        lastEvent = .text
        guard captureWantsText, let characters, length > 0, let capture else { return }
        captureType.text(capture, UnsafeBufferPointer(start: characters, count: length))
    }

    func internalSubset() {
        refuse(
            .refusedByPolicy,
            "a DOCTYPE declaration is refused: requests need none, and DTDs carry entity-expansion and external-entity attacks")
    }

    /// Records a policy refusal and ends the document's events: nothing after this point reaches
    /// the capture or the validator, and the parser is stopped after the current chunk.
    private func refuse(_ kind: DocumentError.Kind, _ message: String) {
        guard refusal == nil else { return }
        let element = lastEvent == .end ? lastClosed : innermost
        let position = element.map { tagPosition(at: $0) } ?? cursorTagPosition()
        policyIssues.append(
            line: position.line, column: position.column, element: element.map { elementName(openElements[$0].name) },
            message: message, domain: .policy, code: 0)
        refusal = kind
        ccx_stop_events(parser)
    }
}
