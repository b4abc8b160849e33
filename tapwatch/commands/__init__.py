"""One module per `tapwatch` command group; each builds its objects and returns an exit code."""
