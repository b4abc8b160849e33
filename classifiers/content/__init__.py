"""The inappropriate-content classifier: features, model, training, artifact and the detector."""
