import ArgumentParser
import AsyncHTTPClient
import CallConsultClient
import CallConsultKit
import Foundation
import NIOCore
import NIOPosix

/// `callconsult send`: log in to an ECSS-10 server and send a command (`call_consult` unless
/// `--command` says another), once or for each line of a batch, over one client and session.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Log in to an ECSS-10 server and send commands (one request, or a batch in order).",
        discussion: """
            The domain is --domain, or else the URL's path: http://host:8089/example.domain (a path \
            ending in /service/cc/arm or /service/cc/arm/call_consult names the domain before it).

            One request comes from the options: --command NAME (call_consult when omitted) and its \
            attributes as --attribute NAME=VALUE (repeatable), or for call_consult --conversation-id, \
            --to-number and --operator-id. --batch reads JSON lines, each a request's fields as \
            validate --json prints "request", with "command": "NAME" beside them (call_consult when \
            absent): {"command": "call_hold", "conversation_id": "c-1"}; optional fields may be \
            null or absent; blank lines are skipped. Every line is checked before anything is \
            sent: a malformed line, an unknown command, a missing required attribute or one the \
            command's schema does not declare is a usage error naming the line. login and monitor \
            are not sent by this command (send logs in by itself; monitor has no <out> answer).

            With --json, one object per request: {"command": "NAME", "request": {…}, "status": N, \
            "response": {"ok": true} | {"error": {"reason", "cmd", "body"}}}, or "failure": \
            {"kind", "message", "may_have_been_delivered", "attempts"} instead of "response" \
            ("status" only when an answer came; "attempts" is 0 for a request not sent after a \
            refused login); call_consult lines also carry "conversation_id" after "command".

            --retries N tries a request up to N more times, but only after a failure in which \
            nothing was sent (connection refused, connect timeout, name resolution, TLS \
            handshake), waiting a random time between half and all of --retry-base seconds times \
            2^(k-1) (at most 8 s) before retry k, all inside --timeout. A reset, a timeout or any \
            answer (a 503 included) is never retried: the command may have been carried out.

            Exit status: 0 when every answer is ok, 1 when any is an error reply and none failed, 3 \
            when any failed (authentication, transport, timeout, unexpected_status, \
            invalid_response), 2 on a usage error, 74 when standard output cannot be written.
            """)

    @Option(help: "The server's base URL: http://host:port or https://host:port.")
    var url: String

    @Option(help: "The ECSS-10 domain (default: the URL's path).")
    var domain: String?

    @Option(help: "The integration's client id (default: $ECSS_CLIENT_ID).")
    var clientId: String?

    @Option(help: "The integration's API key (default: $ECSS_API_KEY, better: other users can read a process's arguments).")
    var apiKey: String?

    @Option(help: "The operator's phone number (default: $ECSS_PHONE_NUMBER).")
    var phoneNumber: String?

    @OptionGroup var command: CommandOption

    @OptionGroup var values: RequestOptions

    @Option(help: ArgumentHelp("A file of JSON lines, one request each; - reads standard input.", valueName: "file"))
    var batch: String?

    @Flag(help: "Print one JSON object per request, one per line.")
    var json = false

    @Option(help: "The most seconds one request may take, login included (0.001 to 86400).")
    var timeout: Double = 10

    @Option(help: "How many more times to try a request after a failure in which nothing was sent (0 to 100).")
    var retries: Int = 0

    @Option(help: "The longest wait in seconds before the first retry; it doubles for each later one, up to 8 (0.001 to 60).")
    var retryBase: Double = 0.5

    /// The largest batch read: 16 MiB.
    static let maxBatchBytes = 16 << 20

    func validate() throws {
        if batch != nil {
            guard values.isEmpty else {
                throw ValidationError("--batch cannot be used with --attribute, --conversation-id, --to-number or --operator-id")
            }
        } else {
            guard !SendCommand.unsent.contains(command.name) else {
                throw ValidationError("send does not send \(command.name): \(SendCommand.whyUnsent(command.name))")
            }
            if command.name == .callConsult, values.attributes.isEmpty {
                guard values.conversationId != nil, values.toNumber != nil else {
                    throw ValidationError("give --conversation-id and --to-number (or --attribute), or --batch")
                }
            }
        }
        guard timeout.isFinite, timeout >= 0.001, timeout <= 86_400 else {
            throw ValidationError("--timeout must be a number of seconds from 0.001 (1 ms) to 86400")
        }
        guard (0...100).contains(retries) else { throw ValidationError("--retries must be from 0 to 100") }
        guard retryBase.isFinite, retryBase >= 0.001, retryBase <= 60 else {
            throw ValidationError("--retry-base must be a number of seconds from 0.001 (1 ms) to 60")
        }
    }

    func run() async throws {
        let configuration = try clientConfiguration()
        let requests = try readRequests()
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.timeout.connect = .milliseconds(max(1, Int64(min(timeout, 10) * 1000)))
        httpConfiguration.connectionPool.retryConnectionEstablishment = false
        httpConfiguration.redirectConfiguration = .disallow
        let httpClient = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: httpConfiguration)
        let outcome: Result<SendReport.Summary, any Error>
        do {
            let client = try ECSSClient(configuration: configuration, httpClient: httpClient)
            outcome = .success(try await send(requests, with: client))
        } catch {
            outcome = .failure(error)
        }
        try? await httpClient.shutdown()
        switch try outcome.get() {
        case .allOK: return
        case .someRefused: throw ExitCode(1)
        case .someFailed: throw ExitCode(3)
        }
    }

    /// Sends the requests in order, one line each. Once the login is refused, the remaining
    /// requests are not sent (a batch with a wrong key costs one login, not one per line): each
    /// gets the same `authentication` failure, its message starting with "not sent: ", and no
    /// `status` (no answer came for it).
    private func send(_ requests: [ECSSRequest], with client: ECSSClient) async throws -> SendReport.Summary {
        var summary = SendReport.Summary.allOK
        var refusedLogin: ECSSClientError?
        for request in requests {
            let outcome: Result<ECSSClient.Answer, ECSSClientError>
            var attempts = 1
            if var refused = refusedLogin {
                refused.message = "not sent: " + refused.message
                refused.status = nil
                refused.contentType = nil
                refused.previousAttempts = []
                outcome = .failure(refused)
                attempts = 0
            } else {
                do {
                    outcome = .success(try await client.send(request))
                } catch let error as ECSSClientError {
                    outcome = .failure(error)
                    attempts = error.attempts
                    if error.kind == .authentication { refusedLogin = error }
                }
            }
            summary = summary.adding(outcome)
            try StandardOutput.writeLine(
                json
                    ? SendReport.jsonLine(request: request, outcome: outcome, attempts: attempts)
                    : SendReport.text(request: request, outcome: outcome))
        }
        return summary
    }

    /// The client's configuration from the options and the environment; a usage error when a
    /// credential, the domain or the URL is missing or unusable.
    private func clientConfiguration() throws -> ECSSClient.Configuration {
        let credentials = try Credentials.resolve(clientID: clientId, apiKey: apiKey, phoneNumber: phoneNumber)
        let (base, domain) = try SendTarget.resolve(url: url, domain: domain)
        let configuration = ECSSClient.Configuration(
            baseURL: base, domain: domain, credentials: credentials, timeout: .seconds(timeout),
            retryPolicy: .jitter(maxRetries: retries, base: .seconds(retryBase), cap: max(.seconds(8), .seconds(retryBase))))
        do {
            _ = try ECSSClient(configuration: configuration)
        } catch {
            // The timeout was checked by `validate()`: what is left is the URL or the domain.
            throw ValidationError("--url or --domain: \(error.message)")
        }
        return configuration
    }

    /// The requests to send: the one of the options, or every line of the batch, each checked
    /// (and encoded once) before anything is sent.
    private func readRequests() throws -> [ECSSRequest] {
        if let batch {
            let input: InputFile
            do {
                input = try InputFile.read(batch, limit: Self.maxBatchBytes)
            } catch {
                throw ValidationError("--batch: \(error.message)")
            }
            guard !input.isOverLimit else { throw ValidationError("--batch: more than \(Self.maxBatchBytes) bytes") }
            return try BatchLine.parse(input.bytes)
        }
        let request = try RequestFields.request(command.name, from: values.object(for: command.name))
        do {
            _ = try CallConsultCodec().encode(request)
        } catch {
            throw ValidationError(error.description)
        }
        return [request]
    }

    /// The commands `send` does not send.
    static let unsent: Set<CommandName> = [.login, .monitor]

    /// Why `send` does not send `command`.
    static func whyUnsent(_ command: CommandName) -> String {
        command == .login
            ? "it logs in by itself with the credentials given" : "monitor has no <out> answer; the client library sends it"
    }
}
