"""The ``verbatim`` command: one Typer app, one module per subcommand (imported lazily)."""
