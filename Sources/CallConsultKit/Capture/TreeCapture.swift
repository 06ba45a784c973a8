/// Builds the ``MessageElement`` tree of a document: every element, attribute (namespace
/// declarations included, in the order written) and piece of text.
struct TreeCapture: MessageCapture {
    /// The elements being built, innermost last.
    private var open: [MessageElement] = []
    /// The root element, once its end tag has been read.
    private var root: MessageElement?

    static var wantsText: Bool { true }
    static var wantsEnd: Bool { true }

    mutating func start(_ tag: StartTag) {
        var element = MessageElement(name: tag.qualifiedName)
        tag.forEachNamespaceDeclaration { name, uri in element.attributes.append(.init(name: name, value: uri)) }
        tag.forEachQualifiedAttribute { name, value in element.attributes.append(.init(name: name, value: value)) }
        open.append(element)
    }

    mutating func end() {
        guard var element = open.popLast() else { return }
        // White space between child elements is not content.
        if element.content.contains(where: { if case .element = $0 { true } else { false } }) {
            element.content.removeAll { piece in
                if case .text(let text) = piece { text.utf8.allSatisfy { [0x20, 0x09, 0x0A, 0x0D].contains($0) } } else { false }
            }
        }
        if let parent = open.indices.last {
            open[parent].content.append(.element(element))
        } else {
            root = element
        }
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !bytes.isEmpty, let last = open.indices.last else { return }
        let text = String(decoding: bytes, as: UTF8.self)
        if case .text(let previous)? = open[last].content.last {
            // libxml2 may deliver one run of text in several calls.
            open[last].content.removeLast()
            open[last].content.append(.text(previous + text))
        } else {
            open[last].content.append(.text(text))
        }
    }

    mutating func take() -> MessageElement? {
        root.take()
    }
}
