"""The Prometheus exposition of the service's metrics."""
