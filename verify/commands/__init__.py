"""Subcommands of the command line, one module each (see :mod:`verify.cli`)."""
