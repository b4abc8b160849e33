"""Platform payloads in, normalized posts out (parsers, file ingest, Kafka publishing)."""
