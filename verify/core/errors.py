"""The one exception the suite raises for bad input or cases too large to run.

The command line turns it into one line on stderr and exit status 2
(proofs/README.md, "Conventions").
"""

__all__ = ["InputError"]


class InputError(ValueError):
    """Bad user input, or a case beyond a method's stated size limit."""
