import ArgumentParser
import CallConsultProxy
import Foundation
import NIOSSL

/// `callconsult proxy`: forward to a real ECSS-10, check each exchange against the schemas, print
/// a line per exchange, and record stubs the emulator replays.
struct ProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "Forward to an ECSS-10 and check every request and answer against the command's schema.",
        discussion: """
            Listens like serve and forwards every request to --upstream unchanged (method, path and \
            query, header fields but the hop-by-hop ones and Host, body; cookies both ways), and the \
            upstream's answer back unchanged (status, header fields but the hop-by-hop ones, body). \
            The request of each POST /<DOMAIN>/service/cc/arm/COMMAND of a known command is checked \
            against the command's schema, and its answer too when it is XML (an <out> of the \
            command); a plain-text answer (the 403 of a lost session or a refused login) is not \
            checked. Invalid traffic is forwarded all the same, unless --strict: then an invalid \
            request is answered 400 with the DocumentError text (its kind's code first) and not \
            forwarded. The upstream down, or answering what is not HTTP: 502 with a plain-text \
            reason; silent past --upstream-timeout: 504. A body over 65536 bytes: 413 (a request) \
            or 502 (an answer). A client connection silent for --idle-timeout is closed.

            The first line on standard output is exactly "listening on http://HOST:PORT". Then one \
            line per exchange: "TIME STATUS DOMAIN COMMAND request=R response=R DURATION ms" (R \
            valid, invalid or -), then error "…" and issue WHICH LINE:COLUMN: "…" as they apply; \
            with --json one object per line with the keys time, domain (null outside \
            /<DOMAIN>/service/cc/arm/), command (null outside the family), status, request (as \
            validate --json prints it, the login's api_key as "***"; null when invalid or not a \
            command's), request_valid and response_valid (true, false, or null when not checked), \
            issues ([{"which": "request" or "response", "line", "column", "message"}]), error \
            (why the proxy answered itself: "CODE: reason", codes upstream_unreachable, \
            upstream_garbage, answer_too_large, upstream_timeout, request_too_large, request_unreadable, \
            invalid_request; else null), duration_ms. The API key, cookie values and Set-Cookie \
            values are never printed.

            --record FILE appends, for each command exchange (not login) with a valid request and \
            a valid <out> answer, one stub (a JSON line as POST /__admin/stubs takes) matching the \
            command and the request's attributes and answering the same status and <out>; \
            callconsult serve --stubs FILE replays them. monitor has no <out> and is not recorded.

            Exit status: 0 after SIGINT or SIGTERM, 1 when the server fails (the port is taken), \
            2 on a usage error, 74 when standard output or the record file cannot be written.
            """
    )

    @Option(help: "The ECSS-10 to forward to, http:// or https://, e.g. http://ecss.example:8089.")
    var upstream: String

    @OptionGroup var listening: ListeningOptions

    @Flag(help: "Print each exchange as one JSON object per line.")
    var json = false

    @Option(help: "Append a stub (JSON line) for each valid command exchange to FILE, for serve --stubs.")
    var record: String?

    @Flag(help: "Answer an invalid request 400 (the DocumentError text) instead of forwarding it.")
    var strict = false

    @Option(help: "Seconds the upstream may take to answer before the client gets 504.")
    var upstreamTimeout: Double = 30

    @Option(help: "Seconds a client connection may stay silent before it is closed (0: never).")
    var idleTimeout: Double = 30

    @Option(help: "Trust the CA certificates of this PEM file (instead of the system's) for an https upstream.")
    var caFile: String?

    func validate() throws {
        _ = try upstreamURL()
        guard upstreamTimeout > 0, upstreamTimeout <= 86_400 else {
            throw ValidationError("--upstream-timeout must be more than 0 and at most 86400 seconds.")
        }
        guard idleTimeout >= 0, idleTimeout <= 86_400 else {
            throw ValidationError("--idle-timeout must be between 0 (never) and 86400 seconds.")
        }
        _ = try tlsConfiguration()
    }

    func upstreamURL() throws -> URL {
        guard let url = URL(string: upstream), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else { throw ValidationError("--upstream must be an http:// or https:// URL, e.g. http://ecss.example:8089.") }
        return url
    }

    func tlsConfiguration() throws -> TLSConfiguration? {
        guard let caFile else { return nil }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(caFile)
        } catch {
            throw ValidationError("--ca-file: '\(caFile)' is not a readable PEM certificate file: \(error)")
        }
        guard !certificates.isEmpty else { throw ValidationError("--ca-file: '\(caFile)' holds no certificate.") }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(certificates)
        return configuration
    }

    func run() async throws {
        var configuration = ECSSProxy.Configuration(
            upstream: try upstreamURL(), host: listening.host, port: listening.port, strict: strict,
            upstreamTimeout: .milliseconds(Int64((upstreamTimeout * 1000).rounded())),
            tlsConfiguration: try tlsConfiguration())
        configuration.idleTimeout = idleTimeout == 0 ? nil : .milliseconds(Int64((idleTimeout * 1000).rounded()))
        let recorder = try record.map { try StubRecorder(path: $0) }
        let json = json
        let log = ServerLog(name: "proxy")
        let proxy = ECSSProxy(configuration: configuration) { exchange in
            if let recorder, let stub = exchange.recordedStub, let error = recorder.append(stub) { log.fail(error) }
            log.enqueue(json ? ProxyLine.json(exchange) : ProxyLine.text(exchange))
        }
        try await log.run(
            proxy, logger: .init(label: "ecss.proxy"), listeningPort: { try await proxy.listeningPort() },
            firstLine: { listening.firstLine(port: $0) })
    }
}
