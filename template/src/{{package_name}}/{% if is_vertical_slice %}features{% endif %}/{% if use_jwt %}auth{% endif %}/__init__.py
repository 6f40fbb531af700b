"""The auth feature: accounts, tokens, and the guards the other features use."""
