/// A `monitor` command: subscribe to, or unsubscribe from, events.
///
/// Unlike every other command, its document is not an `<in>`: the root is `<monitor>`, with an
/// optional `<start>` and an optional `<stop>`, each holding any number of events:
///
/// ```xml
/// <monitor><start><event name="conferences" entity="operator-7"/></start></monitor>
/// ```
///
/// It has no `<out>` answer: ECSS-10 answers 200, or 404 for an event name it does not know.
/// Which event names exist is not documented.
///
/// The `Codable` form: `{"start": …, "stop": …}`, each `null` when absent or a list of
/// `{"name": "…", "entity": "…" or null, "timestamp": "…" or null}`.
public struct MonitorRequest: ECSSCommand, Codable {
    /// The events to subscribe to (`<start>`); `nil` when the element is absent.
    public var start: [MonitorEvent]?
    /// The events to unsubscribe from (`<stop>`); `nil` when the element is absent.
    public var stop: [MonitorEvent]?

    /// Creates a request.
    /// - Parameters:
    ///   - start: The events to subscribe to; `nil` leaves `<start>` out, `[]` writes an empty one.
    ///   - stop: The events to unsubscribe from; `nil` leaves `<stop>` out.
    public init(start: [MonitorEvent]? = nil, stop: [MonitorEvent]? = nil) {
        self.start = start
        self.stop = stop
    }

    /// Every event named in ``start`` and ``stop``.
    public var eventNames: [String] { (start ?? []).map(\.name) + (stop ?? []).map(\.name) }

    /// `monitor`.
    public static var name: CommandName { .monitor }
    /// ``ECSSRequest/monitor(_:)`` holding this request.
    public var request: ECSSRequest { .monitor(self) }

    /// The request ``ECSSRequest/monitor(_:)`` holds; `nil` for another command's.
    public init?(_ request: ECSSRequest) {
        guard case .monitor(let held) = request else { return nil }
        self = held
    }

    private enum CodingKeys: String, CodingKey {
        case start
        case stop
    }

    /// Writes `start` and `stop`, `null` when absent.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(start, forKey: .start)
        try container.encode(stop, forKey: .stop)
    }

    /// The `<monitor>` document, valid against `monitor.xsd`.
    func encodeDocument() throws(EncodingError) -> [UInt8] {
        var parts: [DocumentWriter.Part] = [.markup("<monitor>")]
        for (events, open, close) in [(start, "<start>", "</start>"), (stop, "<stop>", "</stop>")]
            as [([MonitorEvent]?, StaticString, StaticString)]
        {
            guard let events else { continue }
            parts.append(.markup(open))
            for event in events { event.write(to: &parts) }
            parts.append(.markup(close))
        }
        parts.append(.markup("</monitor>\n"))
        return try DocumentWriter.write(parts)
    }
}

/// An `<event name entity? timestamp?/>` of `monitor.xsd`'s `baseEventType`: in a `monitor`
/// request, and at the root of every notification.
///
/// The `Codable` form: `{"name": "…", "entity": "…" or null, "timestamp": "…" or null}`.
public struct MonitorEvent: Sendable, Hashable, Codable {
    /// The event's name (`name`).
    public var name: String
    /// The entity it concerns, if given (`entity`).
    public var entity: String?
    /// When, if given (`timestamp`; a string, as the schema declares it).
    public var timestamp: String?

    /// Creates an event.
    public init(name: String, entity: String? = nil, timestamp: String? = nil) {
        self.name = name
        self.entity = entity
        self.timestamp = timestamp
    }

    private enum CodingKeys: String, CodingKey {
        case name
        case entity
        case timestamp
    }

    /// Writes every key, `null` when absent.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(entity, forKey: .entity)
        try container.encode(timestamp, forKey: .timestamp)
    }

    /// ` name="…" entity="…" timestamp="…"` (the optional ones when given).
    func writeAttributes(to parts: inout [DocumentWriter.Part]) {
        parts.append(.attribute(name: "name", value: name))
        if let entity { parts.append(.attribute(name: "entity", value: entity)) }
        if let timestamp { parts.append(.attribute(name: "timestamp", value: timestamp)) }
    }

    /// `<event …/>`.
    func write(to parts: inout [DocumentWriter.Part]) {
        parts.append(.markup("<event"))
        writeAttributes(to: &parts)
        parts.append(.markup("/>"))
    }
}
