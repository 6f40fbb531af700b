"""Pydantic models of the HTTP API."""
