public import CallConsultKit

extension ECSSClient {
    /// Where a client calls ECSS-10 and how: the base URL, the domain, the credentials, the
    /// per-call timeout and the size limits of answers.
    ///
    /// ``baseURL``, ``domain`` and ``credentials`` are required; ``timeout`` defaults to
    /// `.seconds(10)`, ``limits`` to `DecodingLimits.default` and ``retryPolicy`` to
    /// ``ECSSClient/RetryPolicy/noRetry``. The table of every property,
    /// its default and its `callconsult send` option is in
    /// <doc:CallConsultClient#Configuration-defaults>.
    ///
    /// How long a connection may take to open is the `HTTPClient`'s setting
    /// (`HTTPClient.Configuration.timeout.connect`), since a borrowed client is shared; ``timeout``
    /// bounds it too. The client's own `HTTPClient` does not retry a connection that failed: the
    /// ``retryPolicy`` owns that (a borrowed `HTTPClient` keeps its own connection settings, and
    /// retries connecting until the call's deadline unless it was made with
    /// `connectionPool.retryConnectionEstablishment` off).
    public struct Configuration: Sendable {
        /// The server's address, `http://host:port` or `https://host:port`, optionally with a path
        /// that is put before `/<domain>/service/cc/arm/…` (for a server behind a proxy that adds
        /// one); no query or fragment.
        public var baseURL: String
        /// The ECSS-10 domain the commands are sent to (the `<DOMAIN>` of the URL); written into
        /// the path percent-encoded, so any text is safe.
        public var domain: String
        /// The integration's client id and API key, and the operator's phone number, sent with
        /// every login. Their `description` hides the API key.
        public var credentials: LoginRequest
        /// How long one call may take in all: connecting, logging in (again, when the session
        /// was lost), sending the command and reading the answer. Default 10 seconds.
        public var timeout: Duration
        /// The size and shape limits answers are decoded under; an answer is read up to
        /// `limits.maxBodyBytes` (+1 to know it is over) and no further. Default
        /// `DecodingLimits.default`.
        public var limits: DecodingLimits
        /// When a call tries again after a failure in which nothing was sent: never (the default,
        /// ``ECSSClient/RetryPolicy/noRetry``), or as ``ECSSClient/RetryPolicy/jitter(maxRetries:base:cap:)``
        /// says, always inside ``timeout``.
        public var retryPolicy: RetryPolicy

        /// Creates a configuration.
        /// - Parameters:
        ///   - baseURL: `http://host:port` or `https://host:port` (a path prefix is allowed).
        ///   - domain: The ECSS-10 domain.
        ///   - credentials: The login's client id, API key and phone number.
        ///   - timeout: The time one call may take in all; default 10 seconds.
        ///   - limits: The limits answers are read and decoded under; default `.default`.
        ///   - retryPolicy: When a call tries again after a failure in which nothing was sent;
        ///     default `.noRetry`.
        public init(
            baseURL: String, domain: String, credentials: LoginRequest, timeout: Duration = .seconds(10),
            limits: DecodingLimits = .default, retryPolicy: RetryPolicy = .noRetry
        ) {
            self.baseURL = baseURL
            self.domain = domain
            self.credentials = credentials
            self.timeout = timeout
            self.limits = limits
            self.retryPolicy = retryPolicy
        }
    }
}
