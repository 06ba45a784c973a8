import ArgumentParser
import CallConsultKit
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends one `call_consult` request and prints the answer: `ok`, or `error <reason> [<cmd>]`.
/// Exit status: 0 for ok, 1 for an error answer, 2 for anything else (no answer, not an `<out>`).
@main
struct CallConsultClient: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call-consult-client",
        abstract: "Ask an ECSS-10 endpoint to connect an operator to a conversation in consultation mode.")

    @Option(help: "The server, e.g. http://127.0.0.1:8080.")
    var url: String

    @Option(help: "The ECSS-10 domain.")
    var domain: String

    @Option(help: "The conversation.")
    var conversationId: String

    @Option(help: "The number to consult.")
    var toNumber: String

    @Option(help: "The operator; omit it for the operator the session belongs to.")
    var operatorId: String?

    func run() async throws {
        guard let base = URL(string: url) else { throw ValidationError("--url is not a URL: \(url)") }
        let codec = CallConsultCodec()
        let consult = CallConsultRequest(conversationID: conversationId, toNumber: toNumber, operatorID: operatorId)
        var http = URLRequest(url: base.appendingPathComponent("\(domain)/service/cc/arm/call_consult"))
        http.httpMethod = "POST"
        http.setValue(CallConsultResponse.contentType, forHTTPHeaderField: "Content-Type")
        http.httpBody = Data(try codec.encode(consult))
        let (data, response) = try await URLSession.shared.data(for: http)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        do {
            switch try codec.decodeResponse(data) {
            case .ok:
                print("ok")
            case .error(let reply):
                print(["error", reply.reason, reply.command].compactMap { $0 }.joined(separator: " "))
                throw ExitCode(1)
            }
        } catch let error as DocumentError {
            FileHandle.standardError.write(Data("HTTP \(status), not an <out> answer: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
