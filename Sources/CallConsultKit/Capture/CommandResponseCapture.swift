/// Takes a ``CommandResponse`` from `<out>`: `<response><ok/></response>` or `<error …/>`.
///
/// An error's values are kept as bytes (``PendingValue``) until ``take()``, as the request's are:
/// the capture holds nothing to release.
struct CommandResponseCapture: MessageCapture {
    private var sawOK = false
    private var sawError = false
    private var reason = PendingValue()
    private var command = PendingValue()
    private var body = PendingValue()

    mutating func start(_ tag: StartTag) {
        guard !tag.hasNamespace else { return }
        if tag.depth == 2, tag.localName.equals("error") {
            sawError = true
            tag.forEachAttributeValue { name, value in
                if name.equals("reason") {
                    reason.keep(value, in: tag.values)
                } else if name.equals("cmd") {
                    command.keep(value, in: tag.values)
                } else if name.equals("body") {
                    body.keep(value, in: tag.values)
                }
            }
        } else if tag.depth == 3, tag.localName.equals("ok") {
            sawOK = true
        }
    }

    mutating func take() -> CommandResponse? {
        if sawOK { return .ok }
        guard sawError, let reason = reason.take() else { return nil }
        return .error(ErrorReply(reason: reason, command: command.take(), body: body.take()))
    }
}
