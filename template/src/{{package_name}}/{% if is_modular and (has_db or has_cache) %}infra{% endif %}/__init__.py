"""Clients of the infrastructure the domains use: database and cache."""
