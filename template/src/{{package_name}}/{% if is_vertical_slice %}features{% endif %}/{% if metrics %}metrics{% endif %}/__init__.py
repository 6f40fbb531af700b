"""The Prometheus ``/metrics`` route."""
