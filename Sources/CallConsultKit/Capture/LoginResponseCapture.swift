/// Takes a ``LoginResponse`` from the login `<out><response><ok/></response></out>`.
struct LoginResponseCapture: MessageCapture {
    private var sawOK = false

    mutating func start(_ tag: StartTag) {
        if tag.depth == 3, !tag.hasNamespace, tag.localName.equals("ok") { sawOK = true }
    }

    mutating func take() -> LoginResponse? {
        sawOK ? .ok : nil
    }
}
