"""Accounts and tokens: sign in, refresh, roles."""
