"""The converse Crit in Sub: one dispatcher over three methods, and exact witness checks.

Serves proofs/converse.md: every method returns the same dict (DEVELOPING.md,
"Interfaces") with a ``verdict`` (crit-equals-sub, crit-not-in-sub,
sub-not-in-crit, inconclusive), a ``certificate`` naming what it proves
(proved-over-Q, exhaustive-GF(p), probabilistic) and ``witnesses``: critical
points outside Sub, each re-verified here exactly (section 5, "Witnesses"):
rank of J over QQ or over the witness's number field K = QQ[a]/(m(a)), compared
with the proved lower bound g.value of the generic rank, and the subnetwork
test of :mod:`verify.sub_in_crit.strata` over K.  The pieces every method shares
(witness records, the result dict, the Sub-in-Crit half, random projections) are in
:mod:`verify.crit_in_sub.common`.

Methods: ``symbolic`` (:mod:`verify.crit_in_sub.symbolic`, tiny cases, proof over QQ),
``exhaustive`` (``verify.crit_in_sub.exhaustive``, every point over GF(p)), ``slice``
(:mod:`verify.crit_in_sub.slicing`, random exact slices).  ``auto`` takes the strongest
one whose size limit the case meets, in that order.
"""

from __future__ import annotations

import time

from ..core.architecture import Architecture, check_degree
from ..core.errors import InputError
from .common import decode_witness, witness_record

__all__ = ["METHODS", "VERDICTS", "CERTIFICATES", "converse", "choose_method"]

METHODS = ("symbolic", "exhaustive", "slice")
VERDICTS = ("crit-equals-sub", "crit-not-in-sub", "sub-not-in-crit", "inconclusive")
CERTIFICATES = ("proved-over-Q", "exhaustive-GF(p)", "probabilistic")


def choose_method(arch, r: int) -> str:
    """The strongest method whose size limit (arch, r) meets: symbolic, exhaustive, slice."""
    from .symbolic import symbolic_fits
    if symbolic_fits(arch, r)[0]:
        return "symbolic"
    from .exhaustive import exhaustive_fits
    try:
        fits = exhaustive_fits(arch, r)[0]
    except InputError:
        fits = False
    return "exhaustive" if fits else "slice"


def _reverified(arch, r, w) -> dict:
    """A method's witness, checked by :func:`witness_record` unless it already was."""
    if "verified" in w and "minimal_polynomial" in w:
        return w
    K, W = decode_witness(arch, w)
    return {**w, **witness_record(arch, r, W, K, int(w["generic_rank"]))}


def converse(arch, r: int, method: str = "auto", prime=None, seed: int = 0, strata=None,
             **options) -> dict:
    """Decide (or gather evidence on) Crit = Sub for (arch, r) with the chosen method.

    ``strata``: the :func:`verify.sub_in_crit.stratum_rank.strata_records` of (arch, r, seed, prime) when the
    caller already computed them (the Sub-in-Crit half then reuses them).
    """
    arch = Architecture.parse(arch)
    r = check_degree(r)
    if r < 2:
        raise InputError("converse needs activation degree r >= 2 (r = 1 is a linear network)")
    why = arch.degeneracy(r)
    if why:
        raise InputError(f"{arch} is outside the theorem: {why[0]}")
    if method not in ("auto",) + METHODS:
        raise InputError(f"method must be one of auto, {', '.join(METHODS)}; got {method!r}")
    t0 = time.perf_counter()
    chosen = choose_method(arch, r) if method == "auto" else method
    if chosen == "symbolic":
        from .symbolic import symbolic_converse
        out = symbolic_converse(arch, r, seed=seed, prime=prime, strata=strata, **options)
    elif chosen == "slice":
        from .slicing import slicing_converse
        out = slicing_converse(arch, r, seed=seed, prime=prime, strata=strata, **options)
    else:
        from .exhaustive import exhaustive_search
        out = exhaustive_search(arch, r, prime, seed=seed, **options)
    out = dict(out)
    out["witnesses"] = [_reverified(arch, r, w) for w in out.get("witnesses", [])]
    out.setdefault("method", chosen)
    out["requested_method"] = method
    out["arch"], out["degree"] = str(arch), r
    out["seconds"] = round(time.perf_counter() - t0, 3)
    return out
