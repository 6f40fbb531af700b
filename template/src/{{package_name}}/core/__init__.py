"""Settings, logging, errors and the HTTP plumbing shared by every layer."""
