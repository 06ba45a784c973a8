/// The element a parse expects at the root.
enum DocumentRoot: Sendable {
    /// `<in>`: a request.
    case request
    /// `<out>`: a response.
    case response
    /// `<monitor>`: the `monitor` command's request.
    case monitor
    /// `<event>`: a notification.
    case event

    var name: StaticString {
        switch self {
        case .request: "in"
        case .response: "out"
        case .monitor: "monitor"
        case .event: "event"
        }
    }

    /// What a document with this root is, for messages: "a request".
    var what: StaticString {
        switch self {
        case .request: "a request"
        case .response: "a response"
        case .monitor: "a monitor request"
        case .event: "a notification"
        }
    }
}
