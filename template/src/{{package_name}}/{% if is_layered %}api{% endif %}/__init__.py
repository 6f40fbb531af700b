"""HTTP layer: routers and their dependencies."""
