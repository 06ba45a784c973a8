/// A `login` command: `<in><request client_id="…" api_key="…" phone_number="…"/></in>`, POSTed to
/// `/<DOMAIN>/service/cc/arm/login` before any other command.
///
/// It is also the credentials an integration presents and an emulator accepts: `client_id` and
/// `api_key` are created on ECSS-10 for the integration, `phone_number` is the operator's number.
///
/// The API key is a secret: ``description``, ``debugDescription`` and the mirror that `dump` and
/// string interpolation use all show it as `***`, so it appears in no log line or error made from
/// this value. Read ``apiKey`` itself only to send or compare it.
public struct LoginRequest: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The integration's client id (`client_id`).
    public var clientID: String
    /// The integration's API key (`api_key`). Never printed by this type.
    public var apiKey: String
    /// The operator's phone number (`phone_number`).
    public var phoneNumber: String

    /// Creates a login request.
    /// - Parameters:
    ///   - clientID: The integration's client id.
    ///   - apiKey: The integration's API key.
    ///   - phoneNumber: The operator's phone number.
    public init(clientID: String, apiKey: String, phoneNumber: String) {
        self.clientID = clientID
        self.apiKey = apiKey
        self.phoneNumber = phoneNumber
    }

    /// `LoginRequest(clientID: "…", apiKey: ***, phoneNumber: "…")`.
    public var description: String {
        "LoginRequest(clientID: \(clientID.debugDescription), apiKey: ***, phoneNumber: \(phoneNumber.debugDescription))"
    }

    /// The same as ``description``: the API key is shown as `***`.
    public var debugDescription: String { description }

    /// The client id and phone number, and `***` for the API key.
    public var customMirror: Mirror {
        Mirror(self, children: ["clientID": clientID, "apiKey": "***", "phoneNumber": phoneNumber], displayStyle: .struct)
    }
}

/// The answer to a `login` command: the content of `<out>`. `login.xsd` allows only `ok`; a
/// refused login is answered with HTTP 403 and plain text, not XML.
public enum LoginResponse: Sendable, Hashable {
    /// The login succeeded: `<out><response><ok/></response></out>`, HTTP 200, with the session
    /// cookie the later commands carry.
    case ok
}

extension LoginRequest: ECSSCommand {
    /// `login`.
    public static var name: CommandName { .login }
    /// ``ECSSRequest/login(_:)`` holding this request.
    public var request: ECSSRequest { .login(self) }

    /// The request ``ECSSRequest/login(_:)`` holds; `nil` for another command's.
    public init?(_ request: ECSSRequest) {
        guard case .login(let held) = request else { return nil }
        self = held
    }
}

extension LoginRequest: FlatCommand {
    static let layout = FlatLayout.onRequest([("client_id", true), ("api_key", true), ("phone_number", true)])

    init?(values: [String?]) {
        guard values.count == 3, let clientID = values[0], let apiKey = values[1], let phoneNumber = values[2] else {
            return nil
        }
        self.init(clientID: clientID, apiKey: apiKey, phoneNumber: phoneNumber)
    }

    var values: [String?] { [clientID, apiKey, phoneNumber] }
}
