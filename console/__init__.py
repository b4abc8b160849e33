"""The review console: a web application over the incident indices and the audit chain."""
