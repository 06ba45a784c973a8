import ArgumentParser
import CallConsultKit
import Foundation

/// The credentials `serve` accepts and `send` presents: each option, else its environment variable
/// (`ECSS_CLIENT_ID`, `ECSS_API_KEY`, `ECSS_PHONE_NUMBER`), which keeps the API key out of the
/// process list.
enum Credentials {
    /// The login the options and the environment give; a usage error naming the first missing one.
    static func resolve(clientID: String?, apiKey: String?, phoneNumber: String?) throws -> LoginRequest {
        let environment = ProcessInfo.processInfo.environment
        func value(_ option: String?, _ flag: String, _ variable: String) throws -> String {
            if let value = option ?? environment[variable], !value.isEmpty { return value }
            throw ValidationError("Missing \(flag) (or the environment variable \(variable)).")
        }
        return LoginRequest(
            clientID: try value(clientID, "--client-id", "ECSS_CLIENT_ID"),
            apiKey: try value(apiKey, "--api-key", "ECSS_API_KEY"),
            phoneNumber: try value(phoneNumber, "--phone-number", "ECSS_PHONE_NUMBER"))
    }
}
