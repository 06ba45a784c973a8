public import CallConsultKit
public import Foundation
public import NIOSSL

@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSProxy {
    /// Where the proxy listens, where it forwards, and how strictly.
    ///
    /// | field | default | `callconsult proxy` |
    /// |---|---|---|
    /// | ``upstream`` | (required) | `--upstream URL` |
    /// | ``host`` | `127.0.0.1` | `--host` |
    /// | ``port`` | 0: a free port (`callconsult proxy`: 8089) | `--port` |
    /// | ``strict`` | `false` | `--strict` |
    /// | ``upstreamTimeout`` | 30 s | `--upstream-timeout SECONDS` |
    /// | ``tlsConfiguration`` | system trust | `--ca-file FILE` |
    /// | ``limits`` | `DecodingLimits.default` (64 KiB bodies) | |
    /// | ``maxConnectionsPerUpstream`` | 64 | |
    /// | ``idleTimeout`` | 30 s | |
    public struct Configuration: Sendable {
        /// The ECSS-10 (or emulator) every request goes to, `http://` or `https://`, e.g.
        /// `http://ecss.example:8089`. A path in it is put before every request's path.
        public var upstream: URL
        /// The address to listen on. Default `127.0.0.1`.
        public var host: String
        /// The port to listen on; 0 (the default) picks a free one, which ``ECSSProxy/listeningPort()``
        /// reports. (`callconsult proxy` defaults to 8089.)
        public var port: Int
        /// Whether an invalid request of a known command is answered 400 (the `DocumentError`
        /// text, its kind's code first) instead of being forwarded. Default `false`: the proxy
        /// observes, it never blocks.
        public var strict: Bool
        /// How long the upstream may take to answer (head and body) before the client gets 504.
        /// Default 30 seconds.
        public var upstreamTimeout: Duration
        /// The TLS set-up for an `https` upstream, e.g. one trusting a private CA; `nil`: the
        /// system's trust roots.
        public var tlsConfiguration: TLSConfiguration?
        /// The limits requests and answers are checked with; `maxBodyBytes` also bounds every
        /// body the proxy reads (a larger request gets 413, a larger answer 502). Default
        /// `DecodingLimits.default`.
        public var limits: DecodingLimits
        /// How many connections the proxy keeps open to the upstream at most. Default 64 (less
        /// than 1 counts as 1).
        ///
        /// Each client connection is forwarded on one keep-alive connection of its own to the
        /// upstream (opened at its first request, on the same event loop, reopened when the
        /// upstream closes it, closed with the client's), so this is also how many client
        /// connections the proxy serves at once: further clients wait to be accepted (in the
        /// listen backlog) until one of those closes.
        public var maxConnectionsPerUpstream: Int
        /// How long a client connection may stay silent (no byte received while a request is read,
        /// or no request after the last answer) before the proxy closes it, and its connection to
        /// the upstream with it; a request waiting for the upstream's answer is never cut by it
        /// (``upstreamTimeout`` bounds that). So idle keep-alive clients hold the
        /// ``maxConnectionsPerUpstream`` places for this long at most. Default 30 seconds; `nil`:
        /// never.
        public var idleTimeout: Duration?

        /// Creates a configuration; every field but `upstream` has the default of the table above.
        public init(
            upstream: URL, host: String = "127.0.0.1", port: Int = 0, strict: Bool = false,
            upstreamTimeout: Duration = .seconds(30), tlsConfiguration: TLSConfiguration? = nil,
            limits: DecodingLimits = .default, maxConnectionsPerUpstream: Int = 64, idleTimeout: Duration? = .seconds(30)
        ) {
            self.upstream = upstream
            self.host = host
            self.port = port
            self.strict = strict
            self.upstreamTimeout = upstreamTimeout
            self.tlsConfiguration = tlsConfiguration
            self.limits = limits
            self.maxConnectionsPerUpstream = maxConnectionsPerUpstream
            self.idleTimeout = idleTimeout
        }
    }
}
