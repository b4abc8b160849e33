"""The floor every other package stands on: errors, settings, pipeline names, clock, retry.

Nothing here imports another tapwatch package; the Kafka edge modules (`kafka_*`) talk to
the broker only through the settings given to them.
"""
