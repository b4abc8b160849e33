"""tapwatch: district social-media policy monitoring (CLI, settings and the error root)."""

__version__ = "0.1.0"
