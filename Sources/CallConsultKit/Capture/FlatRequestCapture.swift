/// Takes any ``FlatCommand`` from its `<in>`: the attributes its ``FlatLayout`` names, on
/// `<request>` or on `<request>`'s child, kept as bytes (``PendingValue``) until ``take()``.
///
/// One capture for every command whose request is the attributes of one element; it holds at most
/// five values (`call_unattended_transfer` has the most).
struct FlatRequestCapture<Command: FlatCommand>: MessageCapture {
    private var values = (PendingValue(), PendingValue(), PendingValue(), PendingValue(), PendingValue())

    mutating func start(_ tag: StartTag) {
        let layout = Command.layout
        guard tag.depth == layout.depth, !tag.hasNamespace, tag.localName.equals(layout.element) else { return }
        tag.forEachAttributeValue { name, value in
            for index in layout.attributes.indices where name.equals(layout.attributes[index].name) {
                keep(value, at: index, in: tag.values)
                return
            }
        }
    }

    private mutating func keep(_ value: UnsafeBufferPointer<UInt8>, at index: Int, in store: Unmanaged<ValueStore>) {
        switch index {
        case 0: values.0.keep(value, in: store)
        case 1: values.1.keep(value, in: store)
        case 2: values.2.keep(value, in: store)
        case 3: values.3.keep(value, in: store)
        default: values.4.keep(value, in: store)
        }
    }

    mutating func take() -> Command? {
        // One array, cut to the layout's length in place.
        var taken = [values.0.take(), values.1.take(), values.2.take(), values.3.take(), values.4.take()]
        taken.removeLast(max(0, taken.count - Command.layout.attributes.count))
        return Command(values: taken)
    }
}

/// Takes an ``AddParticipantRequest`` from `<in><request><add_to_conference>…`.
struct AddParticipantCapture: MessageCapture {
    private var sawRequest = false
    private var participants: AddParticipantRequest.ParticipantList?

    mutating func start(_ tag: StartTag) {
        guard !tag.hasNamespace else { return }
        switch tag.depth {
        case 3 where tag.localName.equals("add_to_conference"):
            sawRequest = true
        case 4 where tag.localName.equals("participants"):
            var conferenceID: String?
            tag.forEachAttribute { name, value in
                if name.equals("conference_id") { conferenceID = value() }
            }
            participants = conferenceID.map { .init(conferenceID: $0, participants: []) }
        case 5 where tag.localName.equals("participant"):
            var participant = AddParticipantRequest.Participant()
            tag.forEachAttribute { name, value in
                if name.equals("number") {
                    participant.number = value()
                } else if name.equals("conversation_id") {
                    participant.conversationID = value()
                }
            }
            participants?.participants.append(participant)
        default: break
        }
    }

    mutating func take() -> AddParticipantRequest? {
        sawRequest ? AddParticipantRequest(participants: participants) : nil
    }
}

/// Takes a ``MonitorRequest`` from `<monitor>`.
struct MonitorCapture: MessageCapture {
    private var request = MonitorRequest()
    /// Which list the events now read go to: `<start>` (true) or `<stop>` (false).
    private var inStart = true

    mutating func start(_ tag: StartTag) {
        guard !tag.hasNamespace else { return }
        switch tag.depth {
        case 2 where tag.localName.equals("start"):
            request.start = []
            inStart = true
        case 2 where tag.localName.equals("stop"):
            request.stop = []
            inStart = false
        case 3 where tag.localName.equals("event"):
            guard let event = tag.event else { return }
            if inStart { request.start?.append(event) } else { request.stop?.append(event) }
        default: break
        }
    }

    mutating func take() -> MonitorRequest? { request }
}

extension StartTag {
    /// The `baseEventType` attributes of this tag (`name`, `entity`, `timestamp`); `nil` without
    /// a `name`.
    var event: MonitorEvent? {
        var name: String?
        var entity: String?
        var timestamp: String?
        forEachAttribute { attribute, value in
            if attribute.equals("name") {
                name = value()
            } else if attribute.equals("entity") {
                entity = value()
            } else if attribute.equals("timestamp") {
                timestamp = value()
            }
        }
        return name.map { MonitorEvent(name: $0, entity: entity, timestamp: timestamp) }
    }
}
