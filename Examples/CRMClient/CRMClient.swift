import CallConsultClient
import CallConsultKit
import Foundation
import Logging

/// A CRM-side program: the CRM's consultation requests come in on standard input, one per line
/// (`CONVERSATION_ID TO_NUMBER [OPERATOR_ID]`), and are sent to ECSS-10 eight at a time over one
/// shared `ECSSClient` (one login for all of them). One line per request comes out, in input
/// order, with what the CRM should do next.
///
/// The server and credentials come from the environment: `ECSS_URL` (e.g.
/// `http://ecss.example:8089`), `ECSS_DOMAIN`, `ECSS_CLIENT_ID`, `ECSS_API_KEY`,
/// `ECSS_PHONE_NUMBER`; `CRM_DEBUG=1` shows the client's debug log on standard error.
///
/// Exit status: 0 when every operator was connected, 1 otherwise, 2 when the environment is
/// incomplete or standard input holds a malformed line.
@main
struct CRMClient {
    /// How many requests are in flight at once.
    static let concurrency = 8

    static func main() async {
        let environment = ProcessInfo.processInfo.environment
        let names = ["ECSS_URL", "ECSS_DOMAIN", "ECSS_CLIENT_ID", "ECSS_API_KEY", "ECSS_PHONE_NUMBER"]
        let values = names.compactMap { environment[$0] }.filter { !$0.isEmpty }
        guard values.count == names.count else { fail("set \(names.joined(separator: ", "))") }
        var logger = Logger(label: "crm-client") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = environment["CRM_DEBUG"] == nil ? Logger.Level.info : .debug

        let client: ECSSClient
        do {
            client = try ECSSClient(
                configuration: .init(
                    baseURL: values[0], domain: values[1],
                    credentials: LoginRequest(clientID: values[2], apiKey: values[3], phoneNumber: values[4])))
        } catch {
            fail("\(error)")
        }
        var requests: [CallConsultRequest] = []
        while let line = readLine() {
            let fields = line.split(separator: " ").map(String.init)
            guard (2...3).contains(fields.count) else { fail("a line is CONVERSATION_ID TO_NUMBER [OPERATOR_ID]: \(line)") }
            requests.append(
                CallConsultRequest(conversationID: fields[0], toNumber: fields[1], operatorID: fields.dropFirst(2).first))
        }

        let outcomes = await send(requests, with: client, logger: logger)
        for (request, outcome) in zip(requests, outcomes) { print("\(request.conversationID) \(outcome)") }
        exit(outcomes.allSatisfy { $0 == "connected" } ? 0 : 1)
    }

    /// Sends every request, at most ``concurrency`` at once; the outcomes in the order of `requests`.
    static func send(_ requests: [CallConsultRequest], with client: ECSSClient, logger: Logger) async -> [String] {
        await withTaskGroup(of: (Int, String).self) { group in
            var outcomes = [String](repeating: "", count: requests.count)
            for (index, request) in requests.enumerated() {
                if index >= concurrency, let finished = await group.next() { outcomes[finished.0] = finished.1 }
                group.addTask { (index, await outcome(of: request, with: client, logger: logger)) }
            }
            for await (done, outcome) in group { outcomes[done] = outcome }
            return outcomes
        }
    }

    /// What happened to one request, and what the CRM should do about it.
    static func outcome(of request: CallConsultRequest, with client: ECSSClient, logger: Logger) async -> String {
        do {
            switch try await client.callConsult(request, logger: logger) {
            case .ok:
                return "connected"
            case .error(let reply):
                // ECSS-10 refused: show the operator why (e.g. cannot_perform_cmd, body timeout).
                return "refused \(reply.reason)" + (reply.body.map { " (\($0))" } ?? "")
            }
        } catch let error as ECSSClientError {
            // Resending a command that may have been carried out could connect the operator twice.
            let next = error.mayHaveBeenDelivered ? "check the call before retrying" : "safe to retry"
            return "failed \(error.kind.code): \(next)"
        } catch {
            return "failed: \(error)"
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("crm-client: \(message)\n".utf8))
        exit(2)
    }
}
