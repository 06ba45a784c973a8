internal import Hummingbird
internal import NIOCore

@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
extension ECSSEmulator {
    /// A page of metrics the emulator serves on its own port, beside the data plane, e.g. the
    /// Prometheus text format of the registry a metrics backend records into:
    ///
    /// ```swift
    /// let registry = PrometheusCollectorRegistry()
    /// MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    /// configuration.metricsExposition = .init { registry.emitToBuffer() }
    /// ```
    ///
    /// `GET` (or `HEAD`) of ``path`` is answered 200 with ``contentType`` and what ``render``
    /// returns; any other method 405. Those requests are not exchanges: neither recorded nor
    /// counted. The emulator itself records into swift-metrics only when a backend is bootstrapped
    /// (or bound to the task that creates it).
    public struct MetricsExposition: Sendable {
        /// The path it is served on. Default `/metrics`.
        public var path: String
        /// The answer's `Content-Type`. Default the Prometheus text format's,
        /// `text/plain; version=0.0.4; charset=utf-8`.
        public var contentType: String
        /// Makes the page, at each request.
        public var render: @Sendable () -> [UInt8]

        /// Creates an exposition.
        /// - Parameters:
        ///   - path: The path it is served on. Default `/metrics`.
        ///   - contentType: The answer's `Content-Type`. Default the Prometheus text format's.
        ///   - render: Makes the page, at each request, e.g. `registry.emitToBuffer()`.
        public init(
            path: String = "/metrics", contentType: String = "text/plain; version=0.0.4; charset=utf-8",
            render: @escaping @Sendable () -> [UInt8]
        ) {
            self.path = path
            self.contentType = contentType
            self.render = render
        }

        /// The answer to a request of ``path``.
        func response(to request: Request) -> Response {
            guard request.method == .get || request.method == .head else {
                return Response(status: .methodNotAllowed, headers: [.allow: "GET, HEAD"])
            }
            let page = render()
            var headers: HTTPFields = [.contentType: contentType]
            guard request.method == .get else {
                headers[.contentLength] = "\(page.count)"
                return Response(status: .ok, headers: headers)
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: page)))
        }
    }
}
