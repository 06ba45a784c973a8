/// Which message a document must be.
public enum MessageKind: Sendable, Hashable {
    /// A request: the root element `in`.
    case request
    /// A response: the root element `out`.
    case response
}
