/// An element of a `call_consult` message as a tree: the shape of the ECSS-10 websocket form.
///
/// ECSS-10's websocket API carries the same `<in>` and `<out>` messages written as JSON:
/// `{"_name": "in", "_content": [{"_name": "request", "_content": [{"_name": "call_consult",
/// "_attributes": {"conversation_id": "…"}}]}]}`. A `MessageElement` holds exactly what that form
/// holds: the element's name as written (with its prefix), its attributes in document order
/// (namespace declarations first, written `xmlns` or `xmlns:prefix`), and its content: child
/// elements and text. White space between elements of element-only content is not kept.
///
/// Get one from XML with ``CallConsultCodec/decodeElement(_:as:)`` or from the JSON form with
/// ``init(jsonForm:)``; write it with ``xml()`` or ``jsonForm()``.
public struct MessageElement: Sendable, Hashable {
    /// An attribute: its name as written (`conversation_id`, `xmlns:xs`, `xs:noNamespaceSchemaLocation`) and value.
    public struct Attribute: Sendable, Hashable {
        /// The name, with its prefix if it has one.
        public var name: String
        /// The value, as an XML processor reports it.
        public var value: String

        /// Creates an attribute.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// A piece of an element's content.
    public enum Content: Sendable, Hashable {
        /// A child element.
        case element(MessageElement)
        /// Character data.
        case text(String)
    }

    /// The element's name as written, with its prefix if it has one.
    public var name: String
    /// The attributes in document order, namespace declarations first.
    public var attributes: [Attribute]
    /// The child elements and text, in document order.
    public var content: [Content]

    /// Creates an element.
    public init(name: String, attributes: [Attribute] = [], content: [Content] = []) {
        self.name = name
        self.attributes = attributes
        self.content = content
    }

    /// The element as a UTF-8 XML document with a declaration; attribute values and text are
    /// escaped like every document CallConsultKit writes.
    /// - Throws: ``EncodingError`` when a name, value or text holds what XML 1.0 cannot carry.
    public func xml() throws(EncodingError) -> [UInt8] {
        var parts: [DocumentWriter.Part] = []
        try appendParts(to: &parts)
        parts.append(.markup("\n"))
        return try DocumentWriter.write(parts)
    }

    private func appendParts(to parts: inout [DocumentWriter.Part]) throws(EncodingError) {
        try Self.checkName(name)
        parts.append(.markup("<"))
        parts.append(.raw(name))
        for attribute in attributes {
            try Self.checkName(attribute.name)
            parts.append(.dynamicAttribute(name: attribute.name, value: attribute.value))
        }
        if content.isEmpty {
            parts.append(.markup("/>"))
            return
        }
        parts.append(.markup(">"))
        for piece in content {
            switch piece {
            case .element(let child): try child.appendParts(to: &parts)
            case .text(let text): parts.append(.text(text))
            }
        }
        parts.append(.markup("</"))
        parts.append(.raw(name))
        parts.append(.markup(">"))
    }

    /// Refuses a name that would break the markup it is written into. (Whether it is a name the
    /// schema allows is for validation to say.)
    private static func checkName(_ name: String) throws(EncodingError) {
        var offset = 0
        for scalar in name.unicodeScalars {
            let breaksMarkup =
                scalar.properties.isWhitespace || "<>&\"'=/!?".unicodeScalars.contains(scalar)
                || scalar.value < 0x20
            if breaksMarkup || (offset == 0 && scalar == ":") {
                throw EncodingError(attribute: name, character: scalar, offset: offset)
            }
            offset += 1
        }
        if offset == 0 {
            throw EncodingError(attribute: name, character: " ", offset: 0)
        }
    }
}
