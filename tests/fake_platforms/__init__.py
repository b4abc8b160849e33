"""Local HTTP servers that answer like the platforms' APIs, for connector tests."""
