"""One (architecture, activation, biases) case = one record: the theorem's question for a
polynomial activation s with rational coefficients, with or without biases (issue 22).

Serves proofs/activations.md (Theorem G' for g, sections 4-5 for Sub in Crit, section 6 for
Crit in Sub) the way :mod:`verify.theorem.case` serves the monomial theorem. For s = t^r
without biases the record **is** ``run_case(arch, r, seed, prime, method, parts)`` with the same
``parts`` (Remark M: the default ``GENERAL_PARTS`` omits ``threshold``, so compare with
``run_case(arch, r, parts=GENERAL_PARTS)``; the same dict, byte for byte once serialised; it has no ``activation``/``biases`` keys --
read them with :func:`record_activation`).

Otherwise the record has the top-level keys of ``run_case``:
``arch, widths, degree`` (= deg s), ``seed, prime, method, params`` (N' = weights + biases),
``hidden, ambient`` (A' of Lemma A0), ``expected`` (min(A', N' - H) when neuron scalings
survive (Props. S1/S2), else min(A', N')), ``degenerate`` (the monomial list, informative),
``generic_rank`` ({value, upper_bound, certificate, proved_by, ...}), ``strata`` ({verdict:
run, records, all_critical, all_agree, certificate} or not-run), ``converse`` (the dict of
:func:`verify.crit_in_sub.general_converse.general_converse` or not-run), ``threshold``
(not-run: no threshold is claimed for a general s), ``proven_threshold`` (None),
``above_proven_threshold`` (None), ``sub_in_crit``, ``crit_in_sub`` (the two inclusions as in
``run_case``), ``verdict`` (holds | fails | undecided), ``certificate``, ``reasons``,
``contradicts_theorem`` (always False: the theorem is about monomials), ``versions``,
``seconds`` -- plus ``activation`` (canonical text of s), ``biases`` (bool) and ``examined``
(what each inclusion examined). ``fails`` needs an inclusion proved false (a stratum proved
not critical, or an exact witness); ``holds`` needs every stratum proved critical and Crit in
Sub proved over QQ on all codimensions; anything else is ``undecided`` with its reasons.

EXAMPLES::

    sage: from verify.theorem.general_case import run_general_case
    sage: rec = run_general_case("2,2,1", "t^2 + t")
    sage: rec["generic_rank"]["value"], rec["verdict"], rec["activation"], rec["biases"]
    (5, 'fails', 't^2 + t', False)
    sage: rec["crit_in_sub"]["holds"], rec["sub_in_crit"]["holds"]
    (False, True)
    sage: from verify.theorem.case import run_case
    sage: mono = run_general_case("2,2,1", "t^3", parts=("generic_rank",))
    sage: mono["generic_rank"] == run_case("2,2,1", 3, parts=("generic_rank",))["generic_rank"]
    True
"""

from __future__ import annotations

import time

from ..core.activation import parse_activation
from ..core.architecture import Architecture
from .case import (_not_run, _tell, case_versions, inclusions, jsonable, run_parts,
                   undecided_reasons, case_certificate, strongest_certificate,
                   weakest_certificate)

__all__ = ["run_general_case", "general_verdict", "record_activation", "GENERAL_PARTS"]

#: The parts of a general case, in the order they run.
GENERAL_PARTS = ("generic_rank", "strata", "converse")


def record_activation(record: dict) -> tuple[str, bool]:
    """(activation text, biases) of a case record, monomial (``run_case``) or general."""
    if "activation" in record:
        return record["activation"], bool(record.get("biases"))
    return f"t^{record['degree']}", False


def unlisted_merges(arch, s, biases: bool) -> str | None:
    """Why Sub in Crit cannot be claimed from the strata records: some merges of
    proofs/activations.md, section 4 (merge order n, zeta^n = 1) have no record of their own
    (a hidden layer of width >= 2 and not ``s.merges_listed``); None when every merge is listed."""
    if s.merges_listed(biases) or not any(arch.widths[l] >= 2 for l in arch.hidden_layers):
        return None
    n = s.merge_order(biases)
    return (f"merge order {n}: the merges rho_j = zeta rho_i, zeta^{n} = 1, other than those "
            f"listed are not among the strata examined")


def general_inclusions(parts, unlisted: str | None = None) -> tuple[dict, dict]:
    """:func:`verify.theorem.case.inclusions`, with Sub in Crit not claimed when ``unlisted``
    (:func:`unlisted_merges`) says some merges have no stratum record."""
    sub, crit = inclusions(parts)
    if unlisted and sub["holds"] is True:
        sub = {**sub, "holds": None, "certificate": None, "reason": unlisted}
    return sub, crit


def general_verdict(parts, unlisted: str | None = None) -> tuple[str, str | None, list[str]]:
    """Verdict, certificate and reasons of a general case from its parts (as
    :func:`verify.theorem.case.case_verdict`, without the monomial degeneracy rule), on the
    inclusions of :func:`general_inclusions`."""
    sub, crit = general_inclusions(parts, unlisted)
    why, fail_certs = [], []
    if sub["holds"] is False:
        why.append("Sub not in Crit: strata not critical: " + ", ".join(sub["failing_strata"]))
        fail_certs.append(sub["certificate"])
    if crit["holds"] is False:
        n = crit.get("witnesses", 0)
        why.append(f"Crit not in Sub: {n} exact witness(es) ({crit['method']})" if n else
                   "Crit not in Sub: the saturated ideal of Theorem E is proper (a complex "
                   "critical point outside Sub; no explicit point)")
        fail_certs.append("proved-over-Q")
    if fail_certs:
        return "fails", strongest_certificate(fail_certs), why
    if sub["holds"] is True and crit["holds"] is True and crit["coverage"] == "all-codimensions" \
            and crit["certificate"] == "proved-over-Q":
        certs = [sub["certificate"], crit["certificate"],
                 (parts.get("generic_rank") or {}).get("certificate")]
        return "holds", case_certificate(certs), [
            f"every stratum is critical ({sub['certificate']}), and Crit is inside Sub on every "
            f"chart (all codimensions), proved over QQ"]
    return "undecided", None, why + undecided_reasons(sub, crit)


def run_general_case(arch, activation, biases: bool = False, seed: int = 0, prime=None,
                     method: str = "auto", parts=GENERAL_PARTS, on_stage=None) -> dict:
    """The record of one (architecture, activation, biases); keys in the module docstring.

    ``on_stage`` (optional) receives the documents ``run_case``'s ``progress`` receives:
    ``{"part": name}`` as each part starts, ``{"part": "converse", "stage": text}`` as each
    stage of the converse starts, ``{"finished": name, "value": part}`` as each part ends.
    ``method``: the converse's (``auto``, ``prepass``, ``symbolic``; ``none``: no converse).
    """
    from ..core.general_jacobian import ambient_dimension, parameter_count
    from ..core.rank import DEFAULT_PRIME, check_prime
    from ..sub_in_crit.activation_rank import activation_generic_rank
    arch = Architecture.parse(arch)
    s = parse_activation(activation)
    biases = bool(biases)
    if not biases and s.monomial_power is not None:
        from .case import run_case
        return run_case(arch, s.monomial_power, seed=seed, prime=prime, method=method,
                        parts=tuple(parts), progress=on_stage)
    from ..core.general_rank import check_general_cost
    check_general_cost(arch, s, biases)              # InputError past the documented limits
    p = check_prime(DEFAULT_PRIME if prime is None else prime)
    seed = int(seed)
    start = time.perf_counter()
    out = {}

    def strata_part():
        from ..sub_in_crit.general_strata import general_strata_records
        from ..sub_in_crit.stratum_rank import every_stratum_critical
        recs = jsonable(general_strata_records(arch, s, biases, seed=seed, prime=prime))
        return {"verdict": "run", "records": recs,
                "all_critical": every_stratum_critical(recs) is True,
                "all_agree": True,
                "certificate": weakest_certificate(r.get("certificate") for r in recs)}

    def converse_part():
        from ..crit_in_sub.general_converse import general_converse
        st = out.get("strata", _not_run("not requested"))
        recs = st.get("records") if st.get("verdict") == "run" else None
        return jsonable(general_converse(
            arch, s, biases, method=method, prime=prime, seed=seed, strata=recs,
            on_stage=lambda text: _tell(on_stage, {"part": "converse", "stage": text})))

    runners = {
        "generic_rank": lambda: activation_generic_rank(arch, s, biases, prime=p, seed=seed).as_dict(),
        "strata": strata_part,
        "converse": converse_part,
    }
    if method == "none":
        parts = tuple(x for x in parts if x != "converse")
    out, seconds = run_parts(GENERAL_PARTS, parts, runners, on_stage, out)
    out["threshold"] = jsonable(_not_run("no proven threshold for a non-monomial activation"))
    unlisted = unlisted_merges(arch, s, biases)
    out["sub_in_crit"], out["crit_in_sub"] = general_inclusions(out, unlisted)
    verdict, certificate, reasons = general_verdict(out, unlisted)
    Np, A = parameter_count(arch, biases), ambient_dimension(arch, s, biases)
    scalings = s.is_affine_monomial if biases else s.is_scaled_monomial
    examined = {"sub_in_crit": out["sub_in_crit"].get("coverage"),
                "crit_in_sub": out["crit_in_sub"].get("coverage")}
    seconds["total"] = time.perf_counter() - start
    return {
        "arch": str(arch), "widths": list(arch.widths), "degree": s.degree, "seed": seed,
        "prime": p, "method": method, "params": Np, "hidden": arch.hidden, "ambient": A,
        "expected": min(A, Np - (arch.hidden if scalings else 0)),
        "degenerate": arch.degeneracy(s.degree), **out,
        "proven_threshold": None, "above_proven_threshold": None, "contradicts_theorem": False,
        "verdict": verdict, "certificate": certificate, "reasons": reasons,
        "activation": s.canonical(), "biases": biases, "examined": examined,
        "versions": case_versions(), "seconds": seconds,
    }
