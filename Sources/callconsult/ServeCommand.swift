import ArgumentParser
import CallConsultEmulator
import CallConsultKit
import Foundation
import Logging
import NIOSSL

/// `callconsult serve`: run the ECSS-10 emulator until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve an ECSS-10 call-centre endpoint (login and every command) for integration tests.",
        discussion: """
            Serves POST /<DOMAIN>/service/cc/arm/COMMAND for login and every command of the family \
            (call_consult, call_hold, call_unhold, call_unattended_transfer, block_operator, \
            unblock_operator, auxwork, add_participant, remove_participant, monitor) as \
            CallConsultEmulator does. A login with the given credentials gets the session cookie \
            ECSS_SESSION; a command without a live session of its domain gets 403 "Session is not \
            valid". A command any of whose attribute values (nested ones included) is exactly a \
            value given with --refuse is answered with <error reason="cannot_perform_cmd" \
            cmd="COMMAND"/> (403; 200 for block_operator, unblock_operator, auxwork and \
            add_participant; 404 for monitor), every other valid one ok (monitor: 200). A monitor \
            request naming an event outside the --monitor-event values, when any are given, gets 404.

            Credentials may come from the environment instead: ECSS_CLIENT_ID, ECSS_API_KEY, \
            ECSS_PHONE_NUMBER (an option wins; prefer ECSS_API_KEY, which other users cannot read \
            from the process list). --credentials FILE adds credential sets, one JSON object a line \
            ({"client_id": "…", "api_key": "…", "phone_number": "…"}); a login presenting any one set \
            logs in. With it, the options and variables may be left out; any given must be complete.

            The first line on standard output is exactly "listening on http://HOST:PORT" \
            ("listening on https://HOST:PORT" with --tls-cert and --tls-key), written once the \
            socket accepts connections. Then one line per exchange: \
            "TIME STATUS DOMAIN COMMAND OUTCOME …", or with --json one object per line with the \
            keys time, domain, command, status, outcome (logged_in, ok, error, refused or fault), and as \
            they apply client_id, phone_number, the request's attributes by XML name (as validate \
            --json prints them), reason, refusal, error_kind, event, fault, stub. The API key and the cookie are never printed. Answering never \
            waits for standard output: when it is not read, exchange lines beyond a queue of 1024 \
            are dropped and counted on standard error.

            Exit status: 0 after SIGINT or SIGTERM, 1 when the server fails (the port is taken), \
            2 on a usage error (credentials missing, a bad line of --stubs or --credentials as FILE:N: …, \
            a certificate and key that cannot be read or do not match), 74 when \
            standard output cannot be written.

            With --admin, the admin API answers under /__admin/ (JSON in and out, no session): \
            POST/GET/DELETE /__admin/stubs, DELETE /__admin/stubs/ID, GET/DELETE /__admin/exchanges \
            (?command=, ?domain=, ?since=SEQ), GET /__admin/scenarios, POST /__admin/scenarios/reset, \
            DELETE /__admin/sessions, POST /__admin/reset. --stubs FILE registers stubs (one JSON \
            object a line, as POST /__admin/stubs takes) before the first line, with or without --admin.

            Refusal codes (the refusal key of an exchange): no_session and session_expired (403 \
            "Session is not valid"), invalid_credentials and invalid_login (403 "Invalid \
            credentials"), invalid_request (400), too_large (413), unknown_domain, unknown_path and \
            unknown_event (404), method_not_allowed (405).

            With --metrics, GET /metrics answers the Prometheus text format (swift-prometheus): \
            ecss_emulator_exchanges by ecss_command and ecss_outcome (logged_in, ok, error_reply, \
            refused.CODE, fault.KIND), and Hummingbird's hb_requests, hb_request_errors, \
            http_server_request_duration and http_server_active_requests by http_route (the \
            route's shape, /{domain}/service/cc/arm/COMMAND), method and status. Without it, \
            nothing is measured.
            """
    )

    @OptionGroup var endpoint: EndpointOptions

    @Option(name: .customLong("client-id"), help: "The client id a login must present (or ECSS_CLIENT_ID).")
    var clientID: String?

    @Option(help: "The API key a login must present (or ECSS_API_KEY).")
    var apiKey: String?

    @Option(help: "The phone number a login must present (or ECSS_PHONE_NUMBER).")
    var phoneNumber: String?

    @Option(
        name: .customLong("refuse"),
        help:
            "A value (of any attribute, e.g. a conversation_id) whose commands are answered with cannot_perform_cmd; repeatable.")
    var refused: [String] = []

    @Option(
        name: .customLong("monitor-event"),
        help: "An event name monitor knows; repeatable. Without it every name is known; with it, others get 404.")
    var monitorEvents: [String] = []

    @Option(help: "How many commands a session serves before a new login is needed.")
    var sessionCommands: Int?

    @Option(help: "How many seconds a session lives after its login.")
    var sessionSeconds: Int?

    @Flag(help: "Serve the admin API under /__admin/ (stubs, exchanges, scenarios, sessions, reset).")
    var admin = false

    @Option(
        name: .customLong("stubs"),
        help: "A file of stubs, one JSON object a line as POST /__admin/stubs takes, registered before the first line.")
    var stubsFile: String?

    @Flag(help: "Log each exchange as one JSON object per line.")
    var json = false

    @Option(
        name: .customLong("credentials"),
        help: #"A file of credential sets, one {"client_id", "api_key", "phone_number"} a line; with or instead of --client-id."#
    )
    var credentialsFile: String?

    @Flag(help: "Serve GET /metrics in the Prometheus text format (exchanges by command and outcome, HTTP requests).")
    var metrics = false

    @Option(
        name: .customLong("tls-cert"),
        help: "Serve https with this certificate chain (PEM, the server's certificate first); needs --tls-key.")
    var tlsCertificateFile: String?

    @Option(name: .customLong("tls-key"), help: "The private key (PEM) of --tls-cert's certificate.")
    var tlsKeyFile: String?

    func validate() throws {
        if let sessionCommands, sessionCommands < 1 { throw ValidationError("--session-commands must be at least 1.") }
        if let sessionSeconds, sessionSeconds < 1 { throw ValidationError("--session-seconds must be at least 1.") }
        _ = try credentialSets()
        _ = try stubs()
        _ = try tlsConfiguration()
    }

    /// The TLS set-up of `--tls-cert` and `--tls-key`, checked (both given, readable, and the key
    /// the certificate's): `nil` without them, a usage error otherwise.
    func tlsConfiguration() throws -> TLSConfiguration? {
        switch (tlsCertificateFile, tlsKeyFile) {
        case (nil, nil):
            return nil
        case (nil, _?):
            throw ValidationError("--tls-key needs --tls-cert.")
        case (_?, nil):
            throw ValidationError("--tls-cert needs --tls-key.")
        case (let certificateFile?, let keyFile?):
            let chain: [NIOSSLCertificate]
            do {
                chain = try NIOSSLCertificate.fromPEMFile(certificateFile)
            } catch {
                throw ValidationError("--tls-cert: '\(certificateFile)' is not a readable PEM certificate chain: \(error)")
            }
            guard !chain.isEmpty else { throw ValidationError("--tls-cert: '\(certificateFile)' holds no certificate.") }
            let key: NIOSSLPrivateKey
            do {
                key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
            } catch {
                throw ValidationError("--tls-key: '\(keyFile)' is not a readable PEM private key: \(error)")
            }
            let configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
            do {
                _ = try NIOSSLContext(configuration: configuration)
            } catch {
                throw ValidationError("--tls-cert and --tls-key: the key is not the certificate's: \(error)")
            }
            return configuration
        }
    }

    /// The stubs of `--stubs FILE`, checked: a usage error `FILE:N: …` for the first bad line.
    func stubs() throws -> [ECSSEmulator.Stub] {
        guard let stubsFile else { return [] }
        let file: InputFile
        do {
            file = try InputFile.read(stubsFile, limit: 64 << 20)
        } catch {
            throw ValidationError("--stubs: \(error.message)")
        }
        if file.isOverLimit { throw ValidationError("--stubs: '\(stubsFile)' is over 64 MiB") }
        var stubs: [ECSSEmulator.Stub] = []
        for (index, line) in file.bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard line.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { continue }
            do {
                stubs.append(try ECSSEmulator.Stub(json: line))
            } catch {
                throw ValidationError("\(stubsFile):\(index + 1): \(error)")
            }
        }
        return stubs
    }

    /// The credentials from the options, else from the environment; a usage error when one is missing.
    func credentials() throws -> LoginRequest {
        try Credentials.resolve(clientID: clientID, apiKey: apiKey, phoneNumber: phoneNumber)
    }

    /// Every credential set a login may present: the options' (or the environment's), then
    /// those of `--credentials FILE`; with the file, the options may be left out altogether.
    func credentialSets() throws -> [LoginRequest] {
        guard let credentialsFile else { return [try credentials()] }
        let fromFile = try CredentialsFile.read(credentialsFile)
        let environment = ProcessInfo.processInfo.environment
        let given =
            [clientID, apiKey, phoneNumber].contains { $0 != nil }
            || ["ECSS_CLIENT_ID", "ECSS_API_KEY", "ECSS_PHONE_NUMBER"].contains { environment[$0] != nil }
        return given ? [try credentials()] + fromFile : fromFile
    }

    func run() async throws {
        let credentialSets = try credentialSets()
        guard let first = credentialSets.first else { throw ValidationError("No credentials.") }
        var configuration = ECSSEmulator.Configuration(credentials: first)
        configuration.additionalCredentials = Array(credentialSets.dropFirst())
        configuration.host = endpoint.host
        configuration.port = endpoint.port
        configuration.domain = endpoint.domain
        configuration.sessionCommands = sessionCommands
        configuration.monitorEvents = monitorEvents.isEmpty ? nil : Set(monitorEvents)
        configuration.sessionLifetime = sessionSeconds.map { .seconds($0) }
        configuration.adminAPI = admin
        configuration.tlsConfiguration = try tlsConfiguration()
        if metrics { configuration.metricsExposition = PrometheusMetrics.bootstrap() }
        var logger = Logger(label: "ecss.serve")
        logger.logLevel = .warning
        let refused = Set(refused)
        let json = json
        let log = ServerLog(name: "serve")
        let emulator = ECSSEmulator(
            configuration: configuration, logger: logger,
            onExchange: { exchange in
                log.enqueue(json ? ExchangeLine.json(exchange) : ExchangeLine.text(exchange))
            },
            answering: { request, _ in
                refused.contains(where: request.contains(value:))
                    ? .error(ErrorReply(reason: ErrorReply.cannotPerformCommand, command: request.command.rawValue)) : .ok
            })
        for stub in try stubs() {
            do {
                try emulator.addStub(stub)
            } catch {
                throw ValidationError("\(stubsFile ?? "--stubs"): \(error)")
            }
        }
        let scheme = configuration.tlsConfiguration == nil ? "http" : "https"
        try await log.run(
            emulator, logger: logger, listeningPort: { try await emulator.listeningPort() },
            firstLine: { endpoint.listening.firstLine(scheme: scheme, port: $0) })
    }
}
