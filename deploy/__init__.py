"""The local stack: fetches, starts and stops Kafka, Elasticsearch and an SMTP sink."""
