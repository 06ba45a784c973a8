import AsyncHTTPClient
import Tracing

extension ECSSClient {
    /// The `HTTPClient` of every client created without one: AsyncHTTPClient's
    /// `singletonConfiguration` on its default event loop group, except that it never follows a
    /// redirect, does not ask for compressed answers, does not retry a connection that failed, and
    /// makes no tracing spans unless a tracer was bootstrapped (`InstrumentationSystem.bootstrap`)
    /// before it was made.
    ///
    /// Made once per process, on first use, and never shut down (as `HTTPClient.shared`).
    ///
    /// - Redirects: ECSS-10 never redirects a command, and the client never follows one. With
    ///   redirects off in the `HTTPClient` itself, a 3xx comes back as it is and nothing is sent to
    ///   its `Location`; and the request body can be handed over as bytes, written with the head
    ///   on the connection's event loop, since no redirect can make AsyncHTTPClient send it again.
    ///   (A borrowed `HTTPClient` may follow redirects: the body then goes as a single-pass
    ///   ``OneShotBody``, which costs a task per request.)
    /// - Connecting: AsyncHTTPClient retries a failed connection by itself, with backoff, until the
    ///   request's deadline (`connectionPool.retryConnectionEstablishment`): against a server that
    ///   is down, a call would wait out its whole timeout and fail as a timeout. Here that is off:
    ///   a refused connection fails the call at once as ``ECSSClientError/Kind/transport`` (nothing
    ///   sent), and the client's ``ECSSClient/RetryPolicy`` decides whether to try again. A
    ///   borrowed `HTTPClient` keeps its own setting.
    /// - Tracing: with the no-op tracer that swift-distributed-tracing has until a real one is
    ///   bootstrapped, AsyncHTTPClient still makes a span per request and computes its attributes
    ///   (the URL's path and host, the sizes): about a sixth of a call's instructions here, for
    ///   spans that go nowhere. This client has no tracer then; with a real one it has that one.
    static let defaultHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.connectionPool.retryConnectionEstablishment = false
        if InstrumentationSystem.tracer is NoOpTracer {
            configuration.tracing.tracer = nil
        }
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
