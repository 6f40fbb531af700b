"""Probes for the orchestrator: liveness, readiness and startup."""
