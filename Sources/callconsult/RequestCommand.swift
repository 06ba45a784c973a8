import ArgumentParser
import CallConsultKit

/// `callconsult request`: print an `<in>` body.
struct RequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request", abstract: "Print a call_consult request body (<in>).")

    @Option(help: "The conversation to connect the operator to.")
    var conversationId: String

    @Option(help: "The number to consult.")
    var toNumber: String

    @Option(help: "The operator to connect; omit it for the operator who asks.")
    var operatorId: String?

    func run() throws {
        let request = CallConsultRequest(conversationID: conversationId, toNumber: toNumber, operatorID: operatorId)
        let body: [UInt8]
        do {
            body = try CallConsultCodec().encode(request)
        } catch {
            throw ValidationError(error.description)
        }
        try StandardOutput.write(body)
    }
}
