"""End-to-end benchmarks of the tapwatch pipeline against the real local stack."""
