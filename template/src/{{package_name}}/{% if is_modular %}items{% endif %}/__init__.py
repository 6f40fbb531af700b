"""The items domain: router, schemas, models, repository, service, dependencies."""
