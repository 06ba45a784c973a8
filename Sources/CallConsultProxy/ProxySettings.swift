import CallConsultKit
import NIOCore

/// What every client connection's ``ProxyHandler`` shares, fixed when ``ECSSProxy/run()`` starts.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
struct ProxySettings: Sendable {
    /// Where requests go.
    let upstream: Upstream
    /// The schema checks, with the configuration's limits.
    let check: ExchangeCheck
    /// `DecodingLimits.maxBodyBytes`: the most body bytes read of a request or an answer.
    let maxBodyBytes: Int
    /// Whether an invalid request is answered 400 instead of being forwarded.
    let strict: Bool
    /// How long the upstream may take to answer, as configured (for the 504's sentence).
    let timeout: Duration
    /// The same, for the event loop's scheduled task.
    let timeoutAmount: TimeAmount
    /// Called once per exchange, before its answer is written.
    let onExchange: @Sendable (ECSSProxy.Exchange) -> Void

    /// The settings of `proxy`.
    init(_ proxy: ECSSProxy) {
        let configuration = proxy.configuration
        upstream = Upstream(configuration.upstream, tlsConfiguration: configuration.tlsConfiguration)
        check = ExchangeCheck(codec: CallConsultCodec(limits: configuration.limits))
        maxBodyBytes = configuration.limits.maxBodyBytes
        strict = configuration.strict
        timeout = configuration.upstreamTimeout
        let (seconds, attoseconds) = configuration.upstreamTimeout.components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        timeoutAmount =
            nanoseconds.overflow || seconds < 0
            ? .nanoseconds(seconds < 0 ? 0 : Int64.max)
            : .nanoseconds(nanoseconds.partialValue.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue)
        onExchange = proxy.onExchange
    }
}
