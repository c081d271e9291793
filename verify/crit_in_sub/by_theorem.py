"""Crit in Sub at a degree r >= r*(d), or at a degree where Theorem T3 holds, by the proved
statement (method ``theorem``).

Serves proofs/converse.md, section 10 (Corollary T: above the proven threshold the converse is
a theorem), which rests on proofs/threshold.md: Theorems T, T2 and Propositions S, S2, S3 each
prove Crit = Sub for every r >= their value, Theorem T3 at each degree it checks (every degree
from its value up to the best of the others), and
:func:`verify.core.threshold_bounds.proven_threshold` takes the least value (``value``) and names
its statement (``by``).  No computation of the case enters:
the integer conditions of the statement are checked for this architecture (section 0 and 15 of
threshold.md), and the result is a proof (over C, hence over Q) with coverage all-codimensions.
Theorem T3 is a statement at one degree: where its conditions hold at an r below r*(d) (an
isolated degree, e.g. r = 9 for 2,3,2,4,2,3,1, whose r* is 11), it proves Crit = Sub at that r
alone, and the method applies there too.

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
from ..core.threshold_bounds import proven_threshold, theorem_t3_check
from .common import ALL_CODIMENSIONS

__all__ = ["theorem_applies", "theorem_converse"]


def theorem_applies(arch, r: int) -> bool:
    """Is Crit = Sub a theorem at r: r at or above the proven threshold r*(d), or Theorem T3's
    conditions holding at this r (under the same hypotheses)?"""
    arch = Architecture.parse(arch)
    value = proven_threshold(arch)["value"]
    return value is not None and (r >= value or theorem_t3_check(arch, r)["holds"])


def theorem_converse(arch, r: int) -> dict:
    """Crit in Sub at (arch, r) by the statement that proves r*(d) <= r, or by Theorem T3 at
    this r alone, as a method result (the keys of the other methods: ``verdict``,
    ``certificate``, ``witnesses``, ``details``)."""
    arch = Architecture.parse(arch)
    proven = proven_threshold(arch)
    value = proven["value"]
    if value is not None and r < value and theorem_t3_check(arch, r)["holds"]:
        statement = "Theorem T3"
        text = (f"Theorem T3 (proofs/threshold.md, section 15): its conditions hold at r = {r} "
                f"(`theorem_t3_check`), an isolated degree below the proven threshold {value}, so "
                f"Crit = Sub at this r")
    elif value is None or r < value:
        raise InputError(f"method theorem needs r >= the proven threshold of {arch} "
                         f"({value if value is not None else 'none: ' + str(proven.get('note'))}), "
                         f"or Theorem T3 at r; got r = {r}")
    else:
        statement = proven["by"].split(":")[0]
        text = (f"{statement} (proofs/threshold.md): Crit = Sub for every r >= {value}; "
                f"here r = {r}. {proven['formula']}")
    return {"method": "theorem", "verdict": "crit-equals-sub", "certificate": "proved-over-Q",
            "witnesses": [],
            "details": {"statement": text, "crit_in_sub": True, "coverage": ALL_CODIMENSIONS,
                        "proven_threshold": value, "by": statement,
                        "proof": f"proof: proofs/threshold.md, {statement}"}}
