extension MessageElement {
    /// The most nested arrays and objects a JSON form may have.
    static let maxJSONDepth = 64

    /// The element in the websocket JSON form, as the vendor writes it:
    /// `[{"_name": "out", "_attributes": {"xmlns:xs": "…"}, "_content": [{"_name": "response", …}]}]`.
    ///
    /// `_attributes` and `_content` are left out when empty; text content is a JSON string in
    /// `_content`. Keys keep the vendor's order and spacing, so a vendor message read with
    /// ``init(jsonForm:)`` is written back to the same text.
    public func jsonForm() -> String {
        var out = "["
        appendJSON(to: &out)
        out += "]"
        return out
    }

    private func appendJSON(to out: inout String) {
        out += "{\"_name\": "
        JSONString.append(name, to: &out)
        if !attributes.isEmpty {
            out += ", \"_attributes\": {"
            for (index, attribute) in attributes.enumerated() {
                if index > 0 { out += ", " }
                JSONString.append(attribute.name, to: &out)
                out += ": "
                JSONString.append(attribute.value, to: &out)
            }
            out += "}"
        }
        if !content.isEmpty {
            out += ", \"_content\": ["
            for (index, piece) in content.enumerated() {
                if index > 0 { out += ", " }
                switch piece {
                case .element(let child): child.appendJSON(to: &out)
                case .text(let text): JSONString.append(text, to: &out)
                }
            }
            out += "]"
        }
        out += "}"
    }

    /// Reads an element from the websocket JSON form: a one-element array as the vendor writes
    /// it, or the bare object.
    /// - Throws: ``JSONFormError`` for text that is not JSON, or JSON that is not the form (an
    ///   unknown key, a missing `_name`, a number where a string belongs, …).
    public init(jsonForm: String) throws(JSONFormError) {
        var reader = JSONReader(Array(jsonForm.utf8))
        let value = try reader.document()
        switch value {
        case .array(let items, let offset):
            guard items.count == 1 else {
                throw JSONFormError(
                    message: "the form is an array of exactly one message; this one has \(items.count)", offset: offset)
            }
            self = try Self.element(from: items[0])
        default:
            self = try Self.element(from: value)
        }
    }

    private static func element(from value: JSONReader.Value) throws(JSONFormError) -> MessageElement {
        guard case .object(let members, let offset) = value else {
            throw JSONFormError(message: "an element is a JSON object", offset: value.offset)
        }
        var name: String?
        var attributes: [Attribute] = []
        var content: [Content] = []
        for (key, member) in members {
            switch key {
            case "_name":
                guard case .string(let text, _) = member else {
                    throw JSONFormError(message: "_name is a string", offset: member.offset)
                }
                name = text
            case "_attributes":
                guard case .object(let pairs, _) = member else {
                    throw JSONFormError(message: "_attributes is an object of strings", offset: member.offset)
                }
                for (attributeName, attributeValue) in pairs {
                    guard case .string(let text, _) = attributeValue else {
                        throw JSONFormError(
                            message: "attribute '\(attributeName)' is not a string", offset: attributeValue.offset)
                    }
                    attributes.append(Attribute(name: attributeName, value: text))
                }
            case "_content":
                guard case .array(let items, _) = member else {
                    throw JSONFormError(message: "_content is an array", offset: member.offset)
                }
                for item in items {
                    if case .string(let text, _) = item {
                        content.append(.text(text))
                    } else {
                        content.append(.element(try element(from: item)))
                    }
                }
            default:
                throw JSONFormError(
                    message: "unknown key '\(key)': an element has _name, _attributes and _content", offset: offset)
            }
        }
        guard let name else { throw JSONFormError(message: "an element has no _name", offset: offset) }
        return MessageElement(name: name, attributes: attributes, content: content)
    }
}
