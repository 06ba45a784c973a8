import CLibXML2

/// The functions libxml2 calls back. Each finds its engine through the context pointer it was
/// given (the parser's `userData`, or the validator's error context).
enum SAXCallbacks {
    /// Sets the engine's SAX2 handlers on a cleared handler block.
    static func install(in sax: UnsafeMutablePointer<xmlSAXHandler>) {
        sax.pointee.startElementNs = startElement
        sax.pointee.endElementNs = endElement
        sax.pointee.characters = characters
        sax.pointee.internalSubset = internalSubset
    }

    static let startElement: startElementNsSAX2Func = {
        context, localName, prefix, namespace, namespaceCount, namespaces, attributeCount, _, attributes in
        guard let localName else { return }
        withEngine(context) {
            $0.startElement(
                localName, prefix: prefix, namespace: namespace, namespaceCount: Int(namespaceCount),
                namespaces: UnsafePointer(namespaces), attributeCount: Int(attributeCount),
                attributes: UnsafePointer(attributes))
        }
    }

    static let endElement: endElementNsSAX2Func = { context, _, _, _ in
        withEngine(context) { $0.endElement() }
    }

    static let characters: charactersSAXFunc = { context, characters, length in
        withEngine(context) { $0.characters(characters, Int(length)) }
    }

    static let internalSubset: internalSubsetSAXFunc = { context, _, _, _ in
        withEngine(context) { $0.internalSubset() }
    }

    static let error: xmlStructuredErrorFunc = { context, error in
        guard let error else { return }
        withEngine(context) { $0.record(UnsafePointer(error)) }
    }

    /// Runs `body` on the engine behind `context` without retaining it: the engine outlives
    /// every callback, because it is held by the parse that libxml2 is calling back from.
    @inline(__always)
    private static func withEngine(_ context: UnsafeMutableRawPointer?, _ body: (ParseEngine) -> Void) {
        guard let context else { return }
        Unmanaged<ParseEngine>.fromOpaque(context)._withUnsafeGuaranteedRef(body)
    }
}
