/// A conference notification (`conferences_event.xsd`): an `<event name entity? timestamp?>`
/// root holding one `<new id is_owner start_time/>`, `<info id …/>` or `<removed id/>`.
///
/// ```xml
/// <event name="conferences" entity="operator-7"><new id="conf-1" is_owner="true"/></event>
/// ```
///
/// Decode one with ``CallConsultCodec/decodeConferencesEvent(_:)``. How and where ECSS-10
/// delivers notifications is not documented.
public struct ConferencesEvent: Sendable, Hashable {
    /// The root's `name`, `entity` and `timestamp`.
    public var event: MonitorEvent
    /// What happened to the conference.
    public var change: NotificationChange

    /// Creates a notification.
    public init(event: MonitorEvent, change: NotificationChange) {
        self.event = event
        self.change = change
    }
}

/// A notification of a conference's participants (`conference_participants_event.xsd`): an
/// `<event name entity? timestamp?>` root holding `<participants id?>` with any number of
/// `<new id/>`, `<info id status …/>` and `<removed id reason …/>`.
///
/// Decode one with ``CallConsultCodec/decodeConferenceParticipantsEvent(_:)``.
public struct ConferenceParticipantsEvent: Sendable, Hashable {
    /// The root's `name`, `entity` and `timestamp`.
    public var event: MonitorEvent
    /// The conference (`<participants id>`), if given.
    public var conferenceID: String?
    /// The participants' changes, in document order.
    public var changes: [NotificationChange]

    /// Creates a notification.
    public init(event: MonitorEvent, conferenceID: String?, changes: [NotificationChange]) {
        self.event = event
        self.conferenceID = conferenceID
        self.changes = changes
    }
}

/// Takes a ``ConferencesEvent``.
struct ConferencesEventCapture: MessageCapture {
    private var event: MonitorEvent?
    private var change: NotificationChange?

    mutating func start(_ tag: StartTag) {
        guard !tag.hasNamespace else { return }
        if tag.depth == 1 {
            event = tag.event
        } else if tag.depth == 2 {
            change = NotificationChange(tag)
        }
    }

    mutating func take() -> ConferencesEvent? {
        guard let event, let change else { return nil }
        return ConferencesEvent(event: event, change: change)
    }
}

/// Takes a ``ConferenceParticipantsEvent``.
struct ConferenceParticipantsEventCapture: MessageCapture {
    private var event: MonitorEvent?
    private var conferenceID: String?
    private var changes: [NotificationChange] = []

    mutating func start(_ tag: StartTag) {
        guard !tag.hasNamespace else { return }
        switch tag.depth {
        case 1: event = tag.event
        case 2: tag.forEachAttribute { name, value in if name.equals("id") { conferenceID = value() } }
        case 3: NotificationChange(tag).map { changes.append($0) }
        default: break
        }
    }

    mutating func take() -> ConferenceParticipantsEvent? {
        event.map { ConferenceParticipantsEvent(event: $0, conferenceID: conferenceID, changes: changes) }
    }
}
