// The Swift block of README.md's section "The client", exactly as shown there (ReadmeSnippetsTests
// checks it); ReadmeClientTests runs it against the emulator.

import CallConsultClient
import CallConsultKit

/// Asks ECSS-10 to connect operator 42 to a conversation, logging in first when needed.
func connectOperator(server: String, apiKey: String) async throws -> String {
    let client = try ECSSClient(
        configuration: .init(
            baseURL: server, domain: "example.domain",
            credentials: LoginRequest(clientID: "crm", apiKey: apiKey, phoneNumber: "1001")))
    let request = CallConsultRequest(conversationID: "0647e098a4b48b05", toNumber: "1001", operatorID: "42")
    do {
        switch try await client.callConsult(request) {
        case .ok:
            return "connected"
        case .error(let reply):  // ECSS-10 said no: reason, cmd, body
            return "refused: \(reply.reason)"
        }
    } catch let error as ECSSClientError {
        // error.kind.code: authentication, transport, timeout, unexpected_status, invalid_response
        return error.mayHaveBeenDelivered ? "unknown, check before retrying: \(error)" : "not sent: \(error)"
    }
}
