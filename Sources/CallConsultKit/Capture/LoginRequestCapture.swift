/// Takes a ``LoginRequest`` from `<in><request client_id="…" api_key="…" phone_number="…"/></in>`.
///
/// Its values are strings from the start, not ``PendingValue``s: the API key is not to stay in the
/// engine's ``ValueStore``, which is reused, not cleared, after the parse.
struct LoginRequestCapture: MessageCapture {
    private var clientID: String?
    private var apiKey: String?
    private var phoneNumber: String?

    static var holdsSecret: Bool { true }

    mutating func start(_ tag: StartTag) {
        guard tag.depth == 2, !tag.hasNamespace, tag.localName.equals("request") else { return }
        tag.forEachAttribute { name, value in
            if name.equals("client_id") {
                clientID = value()
            } else if name.equals("api_key") {
                apiKey = value()
            } else if name.equals("phone_number") {
                phoneNumber = value()
            }
        }
    }

    mutating func take() -> LoginRequest? {
        guard let clientID = clientID.take(), let apiKey = apiKey.take(), let phoneNumber = phoneNumber.take() else {
            return nil
        }
        return LoginRequest(clientID: clientID, apiKey: apiKey, phoneNumber: phoneNumber)
    }
}
