/// The element a parse expects at the root.
enum DocumentRoot: Sendable {
    /// `<in>`: a request.
    case request
    /// `<out>`: a response.
    case response

    var name: StaticString {
        switch self {
        case .request: "in"
        case .response: "out"
        }
    }
}
