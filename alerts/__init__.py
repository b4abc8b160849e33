"""Findings become alert documents in the contract's shape, indexed and mailed."""
