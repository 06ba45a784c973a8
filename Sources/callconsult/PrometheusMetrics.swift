import CallConsultEmulator
import Metrics
import Prometheus

/// `serve --metrics`: swift-metrics bootstrapped with swift-prometheus, and its registry served at
/// `/metrics` in the Prometheus text format.
enum PrometheusMetrics {
    /// Bootstraps the process's metrics system with a Prometheus factory (once per process) and
    /// returns the exposition of its registry, for ``ECSSEmulator/Configuration/metricsExposition``.
    static func bootstrap() -> ECSSEmulator.MetricsExposition {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return ECSSEmulator.MetricsExposition { registry.emitToBuffer() }
    }
}
