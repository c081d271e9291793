"""Crit in Sub for a polynomial activation s (with or without biases), on small cases.

Serves proofs/activations.md, section 6 (the converse for a general s): first the structured
pre-pass (:mod:`verify.crit_in_sub.general_prepass`: a witness re-verified exactly over QQ
proves Crit is not inside Sub), then, when it finds nothing, the exact method of
:mod:`verify.crit_in_sub.general_symbolic` (Theorem E: the ideal of the g x g minors of J on
the whole parameter space (no chart), saturated by the ideals of Sub, is the unit ideal => Crit inside Sub
over QQ on all codimensions), within its size limits; a case beyond them is ``undecided``
with the limit named. Nothing random or modular ever makes ``crit_in_sub.holds`` True.
For s = t^r without biases this is :func:`verify.crit_in_sub.converse.converse` (Remark M).

The result has the keys of :func:`verify.crit_in_sub.converse.converse`: ``method, verdict
(crit-equals-sub | crit-not-in-sub | sub-not-in-crit | undecided), crit_in_sub {holds,
coverage, method, certificate, statement}, sub_in_crit, certificate, witnesses, seconds,
details, prepass, requested_method, arch, degree`` plus ``activation``, ``biases`` and
``beyond_proportional`` (verified witnesses with no pair of proportional incoming rows: not
explained by Proposition P1 of proofs/activations.md).

EXAMPLES::

    sage: from verify.crit_in_sub.general_converse import general_converse
    sage: out = general_converse("2,2,1", "t^2 + t")
    sage: out["verdict"], out["crit_in_sub"]["holds"], out["witnesses"][0]["rank"]
    ('crit-not-in-sub', False, 4)
"""

from __future__ import annotations

import time

from ..core.activation import parse_activation
from ..core.architecture import Architecture
from ..core.errors import InputError
from .common import ALL_CODIMENSIONS, converse_verdict, sub_in_crit

__all__ = ["general_converse", "GENERAL_METHODS"]

#: Methods of the general converse: the pre-pass alone, or the pre-pass then the exact method.
GENERAL_METHODS = ("prepass", "symbolic")


def general_converse(arch, activation, biases: bool = False, method: str = "auto", prime=None,
                     seed: int = 0, strata=None, on_stage=None) -> dict:
    """Decide (or gather evidence on) Crit in Sub for (arch, s, biases); see the module
    docstring. ``strata``: the records of
    :func:`verify.sub_in_crit.general_strata.general_strata_records` for the same inputs, when
    the caller has them. ``on_stage`` is called with a short text as each stage starts."""
    def stage(text):
        if on_stage is not None:
            on_stage(text)

    arch = Architecture.parse(arch)
    s = parse_activation(activation)
    if not biases and s.monomial_power is not None:
        from .converse import converse
        return converse(arch, s.monomial_power, method=method, prime=prime, seed=seed,
                        strata=strata, on_stage=on_stage)
    if method not in ("auto",) + GENERAL_METHODS:
        raise InputError(f"method must be one of auto, {', '.join(GENERAL_METHODS)} for a "
                         f"non-monomial activation; got {method!r}")
    from ..core.general_rank import check_general_cost
    check_general_cost(arch, s, biases, modular=False)    # exact ranks over QQ: InputError past the limits
    t0 = time.perf_counter()
    from ..sub_in_crit.activation_rank import activation_generic_rank
    from ..sub_in_crit.general_strata import general_strata_records
    if strata is None:
        strata = general_strata_records(arch, s, biases, seed=seed, prime=prime)
    sub_check = sub_in_crit(arch, s.degree, records=strata)
    g = activation_generic_rank(arch, s, biases, prime=prime, seed=seed)
    from .general_prepass import general_prepass
    stage("pre-pass")
    pre = general_prepass(arch, s, biases, g.value, seed=seed)
    details = {"generic_rank": g.value, "generic_rank_certificate": g.certificate}
    if pre["witnesses"]:
        used, holds, coverage, cert = "prepass", False, None, "proved-over-Q"
        statement = "exact rank over QQ < g at a structured point outside Sub"
        witnesses = pre["witnesses"]
    elif method == "prepass":
        used, holds, coverage, cert, witnesses = "prepass", None, "structured points", None, []
        statement = "no structured point outside Sub has rank < g (evidence only)"
    else:
        from .general_symbolic import general_symbolic
        stage("symbolic")
        sym = general_symbolic(arch, s, biases, g, seed=seed)
        used, holds, coverage = "symbolic", sym["crit_in_sub"], sym["coverage"]
        cert, statement, witnesses = sym["certificate"], sym["statement"], sym.get("witnesses", [])
        details.update(sym.get("details", {}))
        if holds is True and (coverage != ALL_CODIMENSIONS or cert != "proved-over-Q"
                              or g.certificate != "exact"):
            holds = None          # only an exact computation over QQ with an exact g proves it
    if any(w.get("verified") for w in witnesses):
        holds, cert = False, "proved-over-Q"
    details.update(crit_in_sub=holds, coverage=coverage, statement=statement)
    out = {
        "method": used, "certificate": cert, "witnesses": witnesses, "details": details,
        "crit_in_sub": {"holds": holds, "coverage": coverage, "method": used,
                        "certificate": cert, "statement": statement},
        "sub_in_crit": sub_check,
        "verdict": converse_verdict(holds, coverage, sub_check.get("holds")),
        "prepass": {"points": pre["points"], "seed": pre["seed"], "witnesses": len(pre["witnesses"])},
        "beyond_proportional": sum(1 for w in witnesses if w.get("verified") and not w.get("families")),
        "requested_method": method, "arch": str(arch), "degree": s.degree,
        "activation": s.canonical(), "biases": bool(biases),
    }
    if holds is None and used == "symbolic" and sym.get("reason"):
        out["reason"] = sym["reason"]
    out["seconds"] = round(time.perf_counter() - t0, 3)
    return out
