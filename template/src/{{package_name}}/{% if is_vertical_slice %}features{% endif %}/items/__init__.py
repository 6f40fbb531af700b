"""The items feature: one slice per action (create, get, list, update, delete)."""
