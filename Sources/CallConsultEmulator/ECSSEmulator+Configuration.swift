public import CallConsultKit
public import NIOSSL

@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSEmulator {
    /// Everything an emulator is set up with. Every property but ``credentials`` has a default.
    ///
    /// Several credential sets: the first as ``credentials``, the others in
    /// ``additionalCredentials``.
    ///
    /// ```swift
    /// var configuration = ECSSEmulator.Configuration(
    ///     credentials: LoginRequest(clientID: "crm", apiKey: "secret", phoneNumber: "1001"))
    /// configuration.sessionCommands = 2  // the third command needs a new login
    /// ```
    public struct Configuration: Sendable {
        /// The address to listen on. Default `127.0.0.1`: loopback only.
        public var host: String
        /// The port to listen on. Default 0: the system picks a free port, which
        /// ``ECSSEmulator/listeningPort()`` and ``ECSSEmulator/Running/port`` report.
        /// (`callconsult serve` defaults to 8089, the port of the Call API in the field.)
        public var port: Int
        /// The one domain served (the first path segment, `/<DOMAIN>/service/cc/arm/…`); a request
        /// for any other domain is answered 404. Default `nil`: every domain is served, each with
        /// sessions of its own.
        public var domain: String?
        /// The credentials a login must present, all three values exactly: the first set
        /// accepted (``additionalCredentials`` adds others).
        public var credentials: LoginRequest
        /// Other credential sets a login may present instead of ``credentials`` (each set's three
        /// values exactly, as for several CRM users of one endpoint). Default: none.
        public var additionalCredentials: [LoginRequest]
        /// How many commands (every command but `login`) one session serves; the next one is refused with 403
        /// (``ECSSEmulator/Refusal/sessionExpired``) and the client must log in again. Every command
        /// sent with a live session counts, whatever its body. Default `nil`: no limit.
        public var sessionCommands: Int?
        /// How long a session lives after its login; a command after that is refused with 403
        /// (``ECSSEmulator/Refusal/sessionExpired``). Default `nil`: no limit.
        public var sessionLifetime: Duration?
        /// The limits every body is decoded with; a body over
        /// `DecodingLimits.maxBodyBytes` is answered 413 after at most that many bytes were
        /// kept. Default `DecodingLimits.default` (64 KiB).
        public var limits: DecodingLimits
        /// How long a connection may stay silent (no byte received while a request is read, or
        /// no request after the last answer) before the emulator closes it. Default 30 seconds;
        /// `nil`: never.
        public var idleTimeout: Duration?
        /// How many exchanges ``ECSSEmulator/exchanges`` keeps: the latest ones. Default 10 000.
        public var maxRecordedExchanges: Int
        /// The event names a `monitor` request may name; one naming any other is answered 404
        /// (``ECSSEmulator/Refusal/unknownEvent(name:)``), as ECSS-10 answers an event that does
        /// not exist. Default `nil`: every name is known.
        public var monitorEvents: Set<String>?
        /// Whether the admin API answers under `/__admin/` (stubs, exchanges, scenarios,
        /// sessions, reset: see <doc:TestingInAnyLanguage>). Default `false`: those paths are
        /// answered 404 as any other unknown path.
        public var adminAPI: Bool
        /// A page of metrics served on the emulator's port (e.g. `/metrics` in the Prometheus
        /// text format), beside the data plane. Default `nil`: none (the path is answered as
        /// any other unknown path).
        public var metricsExposition: MetricsExposition?
        /// The TLS set-up to serve https with (a server configuration: the certificate chain and
        /// its private key, e.g. `TLSConfiguration.makeServerConfiguration(certificateChain:privateKey:)`),
        /// so that a client's TLS set-up can be tested. ``ECSSEmulator/Running/baseURL`` then
        /// begins `https://`. Default `nil`: plain http. Close a client's kept-alive connections
        /// before the emulator stops: stopping waits on each open TLS connection's `close_notify`
        /// (NIOSSL's shutdown timeout, 5 seconds).
        public var tlsConfiguration: TLSConfiguration?

        /// Every credential set a login may present: ``credentials``, then
        /// ``additionalCredentials``.
        public var acceptedCredentials: [LoginRequest] { [credentials] + additionalCredentials }

        /// Whether a login presenting `login` is accepted: it is one of ``acceptedCredentials``.
        public func accepts(_ login: LoginRequest) -> Bool {
            login == credentials || additionalCredentials.contains(login)
        }

        /// Creates a configuration with the defaults above.
        /// - Parameter credentials: The credentials a login must present.
        public init(credentials: LoginRequest) {
            self.host = "127.0.0.1"
            self.port = 0
            self.domain = nil
            self.credentials = credentials
            self.additionalCredentials = []
            self.sessionCommands = nil
            self.sessionLifetime = nil
            self.limits = .default
            self.idleTimeout = .seconds(30)
            self.maxRecordedExchanges = 10_000
            self.monitorEvents = nil
            self.adminAPI = false
            self.metricsExposition = nil
            self.tlsConfiguration = nil
        }
    }
}
