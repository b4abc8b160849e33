"""The Faust app, its topics and records, and the agents that run detection."""
