"""Live connectors: HTTP clients of each platform's API that feed posts into Kafka."""
