import Hummingbird

/// The emulator's responder, through Hummingbird's `TracingMiddleware` and `MetricsMiddleware`
/// when the emulator has a tracer or a metrics factory (``EmulatorInstruments``); straight to
/// ``EmulatorResponder`` otherwise.
@available(macOS 15, iOS 18, tvOS 18, visionOS 2, *)
struct InstrumentedResponder: HTTPResponder {
    typealias Context = EmulatorContext

    let responder: EmulatorResponder
    let instruments: EmulatorInstruments
    /// `TracingMiddleware`, with a tracer.
    let tracing: TracingMiddleware<EmulatorContext>?
    /// `MetricsMiddleware`, with a metrics factory.
    let metrics: MetricsMiddleware<EmulatorContext>?
    /// The exposition of ``ECSSEmulator/Configuration/metricsExposition``, `nil` without one.
    let exposition: ECSSEmulator.MetricsExposition?

    init(emulator: ECSSEmulator) {
        self.responder = EmulatorResponder(emulator: emulator)
        self.instruments = emulator.instruments
        self.exposition = emulator.configuration.metricsExposition
        self.tracing = emulator.instruments.tracer == nil ? nil : TracingMiddleware()
        self.metrics = emulator.instruments.metrics == nil ? nil : MetricsMiddleware()
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        if let exposition, request.uri.path == exposition.path {
            return exposition.response(to: request)
        }
        if instruments.areOff { return try await responder.respond(to: request, context: context) }
        // The route's shape, for `http.route` and the span's name (the middlewares read it after
        // the responder ran; it is a shared box).
        let route = Route(request)
        context.coreContext.endpointPath.value = EmulatorInstruments.routeShape(
            route, isAdmin: responder.admin != nil && AdminResponder.isAdmin(route))
        guard let tracing else { return try await measured(request, context: context) }
        return try await tracing.handle(request, context: context) { request, context in
            try await measured(request, context: context)
        }
    }

    /// The request through `MetricsMiddleware` when there is one.
    private func measured(_ request: Request, context: Context) async throws -> Response {
        guard let metrics else { return try await responder.respond(to: request, context: context) }
        return try await metrics.handle(request, context: context) { request, context in
            try await responder.respond(to: request, context: context)
        }
    }
}
