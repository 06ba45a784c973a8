/// One change a notification reports: a `<new …/>`, `<info …/>` or `<removed …/>` element, of a
/// conference (``ConferencesEvent``) or of a conference's participant
/// (``ConferenceParticipantsEvent``).
public struct NotificationChange: Sendable, Hashable {
    /// Which element reported the change.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// `<new>`: a conference or participant appeared.
        case new
        /// `<info>`: what is known of it changed.
        case info
        /// `<removed>`: it is gone.
        case removed
    }

    /// Which element reported the change.
    public var kind: Kind
    /// The conference's or participant's id (`id`), if given.
    public var id: String?
    /// Every other attribute, by its name as written: `is_owner` and `start_time` of a new
    /// conference, a participant's `status` or `reason`. (The schemas' `xs:anyAttribute` on
    /// `<info>` and `<removed>` is strict, with no global attribute declared: libxml2 and xmllint
    /// refuse any undeclared attribute there, so no other name reaches this dictionary.)
    public var attributes: [String: String]

    /// Creates a change.
    public init(kind: Kind, id: String?, attributes: [String: String] = [:]) {
        self.kind = kind
        self.id = id
        self.attributes = attributes
    }

    /// The change a start tag reports, if it is `<new>`, `<info>` or `<removed>`.
    init?(_ tag: StartTag) {
        let kind: Kind
        if tag.localName.equals("new") {
            kind = .new
        } else if tag.localName.equals("info") {
            kind = .info
        } else if tag.localName.equals("removed") {
            kind = .removed
        } else {
            return nil
        }
        var id: String?
        var attributes: [String: String] = [:]
        tag.forEachQualifiedAttribute { name, value in
            if name == "id" { id = value } else { attributes[name] = value }
        }
        self.init(kind: kind, id: id, attributes: attributes)
    }
}
