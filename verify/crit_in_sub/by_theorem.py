"""Crit in Sub at a degree r >= r*(d), by the proved threshold statement (method ``theorem``).

Serves proofs/converse.md, section 10 (Corollary T: above the proven threshold the converse is
a theorem), which rests on proofs/threshold.md: Theorems T, T2 and Propositions S, S2, S3 each
prove Crit = Sub for every r >= their value, Theorem T3 at each degree it checks (every degree
from its value up to the best of the others), and
:func:`verify.core.threshold_bounds.proven_threshold` takes the least value (``value``) and names
its statement (``by``).  No computation of the case enters:
the integer conditions of the statement are checked for this architecture (section 0 and 15 of
threshold.md), and the result is a proof (over C, hence over Q) with coverage all-codimensions.

The dispatcher (:func:`verify.crit_in_sub.converse.choose_method`) takes it first, after the
structured pre-pass and the reductions and before any computation (the symbolic proof, the
exhaustive search over GF(p), the slices); ``method="symbolic"`` still computes such a case,
which is how the tests check the statements.  A witness the pre-pass finds at r >= r* would
contradict the statement, and the case record says so (``contradicts_theorem``).

EXAMPLES::

    sage: from verify.crit_in_sub.by_theorem import theorem_applies, theorem_converse
    sage: theorem_applies("2,3,3,1", 5), theorem_applies("2,3,3,1", 6)
    (False, True)
    sage: out = theorem_converse("2,3,3,1", 6)
    sage: out["method"], out["certificate"], out["details"]["crit_in_sub"], out["details"]["coverage"]
    ('theorem', 'proved-over-Q', True, 'all-codimensions')
    sage: out["details"]["proven_threshold"], out["details"]["by"]
    (6, 'Theorem T3')
"""

from __future__ import annotations

from ..core.architecture import Architecture
from ..core.errors import InputError
from .common import ALL_CODIMENSIONS

__all__ = ["theorem_applies", "theorem_converse"]


def _proven(arch) -> dict:
    from ..core.threshold_bounds import proven_threshold
    return proven_threshold(arch)


def theorem_applies(arch, r: int) -> bool:
    """Is r at or above the proven threshold r*(d) (so that Crit = Sub is a theorem at r)?"""
    value = _proven(Architecture.parse(arch))["value"]
    return value is not None and r >= value


def theorem_converse(arch, r: int) -> dict:
    """Crit in Sub at (arch, r) by the statement that proves r*(d) <= r, as a method result
    (the keys of the other methods: ``verdict``, ``certificate``, ``witnesses``, ``details``)."""
    arch = Architecture.parse(arch)
    proven = _proven(arch)
    value = proven["value"]
    if value is None or r < value:
        raise InputError(f"method theorem needs r >= the proven threshold of {arch} "
                         f"({value if value is not None else 'none: ' + str(proven.get('note'))}); "
                         f"got r = {r}")
    statement = proven["by"].split(":")[0]
    text = (f"{statement} (proofs/threshold.md): Crit = Sub for every r >= {value}; "
            f"here r = {r}. {proven['formula']}")
    return {"method": "theorem", "verdict": "crit-equals-sub", "certificate": "proved-over-Q",
            "witnesses": [],
            "details": {"statement": text, "crit_in_sub": True, "coverage": ALL_CODIMENSIONS,
                        "proven_threshold": value, "by": statement,
                        "proof": proven["certificate"]}}
