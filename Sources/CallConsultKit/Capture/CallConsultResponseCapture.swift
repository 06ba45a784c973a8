/// Takes a ``CallConsultResponse`` from `<out>`: `<response><ok/></response>` or `<error …/>`.
struct CallConsultResponseCapture: MessageCapture {
    private var sawOK = false
    private var sawError = false
    private var reason: String?
    private var command: String?
    private var body: String?

    mutating func start(_ tag: StartTag) {
        guard !tag.hasNamespace else { return }
        if tag.depth == 2, tag.localName.equals("error") {
            sawError = true
            tag.forEachAttribute { name, value in
                if name.equals("reason") {
                    reason = value()
                } else if name.equals("cmd") {
                    command = value()
                } else if name.equals("body") {
                    body = value()
                }
            }
        } else if tag.depth == 3, tag.localName.equals("ok") {
            sawOK = true
        }
    }

    mutating func take() -> CallConsultResponse? {
        if sawOK { return .ok }
        guard sawError, let reason = reason.take() else { return nil }
        return .error(ErrorReply(reason: reason, command: command.take(), body: body.take()))
    }
}
