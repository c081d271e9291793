"""The exact converse for a polynomial activation s over QQ (first version: refuses).

Serves proofs/activations.md, section 6 (Theorem E). Placeholder of the exact method: it
returns ``crit_in_sub`` None with the reason, so that the case is ``undecided``.

EXAMPLES::

    sage: from verify.crit_in_sub.general_symbolic import general_symbolic
    sage: general_symbolic("2,3,1", "t^3 + t", False, None)["crit_in_sub"] is None
    True
"""

from __future__ import annotations

__all__ = ["general_symbolic"]


def general_symbolic(arch, activation, biases, g, seed: int = 0) -> dict:
    return {"crit_in_sub": None, "coverage": None, "certificate": None,
            "statement": "exact method not run", "reason": "the exact method is not built yet",
            "witnesses": [], "details": {}}
