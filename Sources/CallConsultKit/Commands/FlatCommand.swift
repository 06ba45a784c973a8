/// Where a flat command's attributes are: on `<request>` itself (depth 2), or on one child of
/// `<request>` named after the command (depth 3), and which ones.
struct FlatLayout: Sendable {
    /// The element that carries the attributes: `request`, or the command's child.
    let element: StaticString
    /// 2 for `<request>`, 3 for its child.
    let depth: Int
    /// The attributes the schema declares on it, in the order the model lists them.
    let attributes: [(name: StaticString, required: Bool)]

    /// The attributes' names as strings.
    var names: [String] { attributes.map { $0.name.description } }

    /// Attributes on `<request>` itself (`block_operator`, `unblock_operator`).
    static func onRequest(_ attributes: [(name: StaticString, required: Bool)]) -> FlatLayout {
        FlatLayout(element: "request", depth: 2, attributes: attributes)
    }

    /// Attributes on `<request>`'s one child, `element`.
    static func onChild(_ element: StaticString, _ attributes: [(name: StaticString, required: Bool)]) -> FlatLayout {
        FlatLayout(element: element, depth: 3, attributes: attributes)
    }
}

/// A command whose request is the attributes of one element: a schema, a model and a row of
/// this table (``layout``) are all it takes; ``FlatRequestCapture`` reads it and
/// ``encodeDocument()`` writes it.
protocol FlatCommand: ECSSCommand {
    /// Where the attributes are.
    static var layout: FlatLayout { get }
    /// The model from its attribute values, in ``layout`` order; `nil` when a required one is
    /// missing.
    init?(values: [String?])
    /// The attribute values in ``layout`` order, `nil` for an absent optional one.
    var values: [String?] { get }
}

/// The model of `command` when it is a flat command (every command but `add_participant` and
/// `monitor`); `nil` otherwise. The one table from a command's name to its flat model, for the
/// places that need only its ``FlatLayout`` or its ``FlatCommand/init(values:)``; decoding keeps
/// its own switch, so that each command's capture is specialized.
func flatCommandType(of command: CommandName) -> (any FlatCommand.Type)? {
    switch command {
    case .login: LoginRequest.self
    case .callConsult: CallConsultRequest.self
    case .callHold: CallHoldRequest.self
    case .callUnhold: CallUnholdRequest.self
    case .callUnattendedTransfer: CallUnattendedTransferRequest.self
    case .blockOperator: BlockOperatorRequest.self
    case .unblockOperator: UnblockOperatorRequest.self
    case .auxWork: AuxWorkRequest.self
    case .removeParticipant: RemoveParticipantRequest.self
    default: nil
    }
}

/// A coding key made at run time (the attribute names of a ``FlatLayout``).
struct NameKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension FlatCommand {
    /// The `<in>` document, valid against the command's schema.
    func encodeDocument() throws(EncodingError) -> [UInt8] {
        let layout = Self.layout
        var parts: [DocumentWriter.Part] = [.markup(layout.depth == 2 ? "<in><request" : "<in><request><")]
        if layout.depth == 3 { parts.append(.markup(layout.element)) }
        for (attribute, value) in zip(layout.attributes, values) {
            if let value { parts.append(.attribute(name: attribute.name, value: value)) }
        }
        parts.append(.markup(layout.depth == 2 ? "/></in>\n" : "/></request></in>\n"))
        return try DocumentWriter.write(parts)
    }

    /// Writes the wire names, an absent optional attribute as `null`.
    func encodeAttributes(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: NameKey.self)
        for (name, value) in zip(Self.layout.names, values) {
            try container.encode(value, forKey: NameKey(name))
        }
    }

    /// Reads the wire names; an optional attribute may be absent or `null`, other keys are
    /// ignored.
    static func decodeAttributes(from decoder: any Decoder) throws -> Self {
        let container = try decoder.container(keyedBy: NameKey.self)
        var values: [String?] = []
        for attribute in layout.attributes {
            let key = NameKey(attribute.name.description)
            values.append(
                attribute.required
                    ? try container.decode(String.self, forKey: key) : try container.decodeIfPresent(String.self, forKey: key))
        }
        guard let model = Self(values: values) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "a required attribute is missing"))
        }
        return model
    }
}
