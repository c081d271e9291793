"""``check-witness RESULTS_JSON WITNESS_ID``: re-verify one recorded witness exactly.

A witness is a weight point the converse (proofs/converse.md) recorded as critical and
outside Sub. Its record carries the weights, the field (``QQ`` or ``QQ[a]/(m)``) and the
minimal polynomial ``m`` of ``a``; :func:`check_witness` rebuilds the point over that field
(verify.crit_in_sub.common.decode_witness), recomputes the certified generic rank g
(verify.sub_in_crit.subnetwork_rank.proved_generic_rank: a proved lower bound), the exact rank of J at the point
over the field and the subnetwork strata containing it (verify.crit_in_sub.common.witness_record):
``verified`` = rank < g (critical, proved) and no stratum contains the point (not in Sub).

Witness ids (:func:`witness_id`) are a short hash of (architecture, degree, weights, field),
so the same point gets the same id in every report.

EXAMPLES::

    sage: from verify.commands.check_witness import check_witness, witness_id
    sage: w = {"weights": [[[1, 0], [0, 1]], [[1, 1], [0, 0]]], "field": "QQ"}
    sage: c = check_witness(w, arch="2,2,2", degree=2)
    sage: c["rank"], c["generic_rank"], c["critical"], c["strata"], c["verified"]
    (5, 6, True, [], True)
    sage: c["witness_id"] == witness_id("2,2,2", 2, w["weights"], "QQ")
    True
"""

from __future__ import annotations

import json
from pathlib import Path

from ..core.architecture import Architecture, check_degree
from ..core.errors import InputError
from ..crit_in_sub.common import witness_id

__all__ = ["witness_id", "check_witness", "find_witness", "iter_witnesses", "minimal_polynomial_of"]

HELP = "re-verify a witness of a report exactly: rank over its field, generic rank, strata"

#: Largest results.json read (bytes).
MAX_RESULTS_BYTES = 2 * 10 ** 9


def minimal_polynomial_of(witness: dict):
    """The witness's minimal polynomial in ``a`` (None over QQ), read from
    ``minimal_polynomial`` or else from a field label ``QQ[a]/(m)``."""
    m = witness.get("minimal_polynomial")
    if m:
        return str(m)
    field = str(witness.get("field") or "QQ").replace(" ", "")
    if field in ("QQ", "Q", "None"):
        return None
    if field.startswith("QQ[a]/(") and field.endswith(")"):
        return field[len("QQ[a]/("):-1]
    raise InputError(f"witness field {field[:60]!r} is neither QQ nor QQ[a]/(m)")


def _case_witnesses(case: dict) -> list:
    conv = case.get("converse") if isinstance(case.get("converse"), dict) else {}
    out = [w for w in conv.get("witnesses") or [] if isinstance(w, dict) and "weights" in w]
    cis = case.get("crit_in_sub") if isinstance(case.get("crit_in_sub"), dict) else {}
    if isinstance(cis.get("witnesses"), list):          # a record that keeps them there too
        out += [w for w in cis["witnesses"] if isinstance(w, dict) and "weights" in w]
    return out


def iter_witnesses(results: dict):
    """(witness id, arch, degree, witness dict) of every witness of a results.json content:
    the converse's witnesses of every case, then the catalogue of classes."""
    for case in results.get("cases") or []:
        if not isinstance(case, dict) or "arch" not in case:
            continue
        for w in _case_witnesses(case):
            wid = w.get("id") or witness_id(case["arch"], case["degree"], w["weights"], w.get("field"))
            yield wid, case["arch"], case["degree"], w
    for w in results.get("non_subnetwork_critical_points") or []:
        if isinstance(w, dict) and "weights" in w and "arch" in w:
            wid = w.get("id") or witness_id(w["arch"], w["degree"], w["weights"], w.get("field"))
            yield wid, w["arch"], w["degree"], w


def find_witness(results: dict, wid: str):
    """(arch, degree, witness) of the first witness with id ``wid``; InputError when none."""
    wid = str(wid).strip()
    for other, arch, degree, w in iter_witnesses(results):
        if other == wid:
            return arch, degree, w
    raise InputError(f"no witness with id {wid[:40]!r} in the results "
                     "(ids are listed in REPORT.md and in results.json)")


def check_witness(record_or_witness, arch=None, degree=None, seed: int = 0, prime=None) -> dict:
    """Re-verify a witness exactly over its field (its minimal polynomial is used).

    ``record_or_witness``: a witness dict (``weights``, ``field``, ``minimal_polynomial``, and
    ``arch``/``degree`` unless given here), or a case record (every witness of its converse is
    checked; the result has ``witnesses``). Returns rank, generic rank (recomputed, a proved
    lower bound), ``critical``, ``strata``, ``verified`` and ``reproduces_record`` (the
    recomputed rank, generic rank and verdict equal the recorded ones, where recorded).
    """
    from ..sub_in_crit.subnetwork_rank import proved_generic_rank
    from ..crit_in_sub.common import decode_witness, witness_record
    if not isinstance(record_or_witness, dict):
        raise InputError("check_witness takes a witness dict or a case record")
    rec = record_or_witness
    arch = Architecture.parse(arch if arch is not None else rec.get("arch"))
    r = check_degree(degree if degree is not None else rec.get("degree"))
    if "weights" not in rec:                              # a case record
        checks = [check_witness(w, arch, r, seed=seed, prime=prime) for w in _case_witnesses(rec)]
        return {"arch": str(arch), "degree": r, "witnesses": checks,
                "verified": all(c["verified"] for c in checks),
                "reproduces_record": all(c["reproduces_record"] for c in checks)}
    m = minimal_polynomial_of(rec)
    try:
        K, W = decode_witness(arch, {"weights": rec["weights"], "minimal_polynomial": m})
    except InputError:
        raise
    except Exception as e:
        raise InputError(f"cannot read the witness over its field: {type(e).__name__}: {str(e)[:80]}")
    g = proved_generic_rank(arch, r, prime=prime, seed=seed)
    out = witness_record(arch, r, W, K, g.value)
    recorded = {k: rec.get(k) for k in ("rank", "generic_rank", "verified") if rec.get(k) is not None}
    same = all(out[k] == v for k, v in recorded.items())
    return {
        "witness_id": witness_id(arch, r, rec["weights"], rec.get("field") or out["field"]),
        "arch": str(arch), "degree": r, "field": out["field"],
        "minimal_polynomial": out["minimal_polynomial"], "rank": int(out["rank"]),
        "generic_rank": int(out["generic_rank"]), "generic_rank_certificate": g.certificate,
        "critical": out["critical"], "strata": out["strata"], "subnetwork": out["subnetwork"],
        "verified": out["verified"], "recorded": recorded, "reproduces_record": same,
        "statement": (f"exact rank {out['rank']} over {out['field']} "
                      f"{'<' if out['critical'] else '>='} {g.value} <= g (proved); "
                      + ("in no subnetwork stratum" if not out["strata"]
                         else "in " + ", ".join(out["strata"]))),
    }


# --- command line ---------------------------------------------------------------------------


def add_arguments(p):
    p.add_argument("results", help="a report's results.json (e.g. report/results.json)")
    p.add_argument("witness_id", help="the witness id printed in REPORT.md (e.g. w1a2b3c4d5e)")
    p.add_argument("--seed", type=int, default=0, help="seed of the generic rank's random points (default 0)")


def _read_results(path) -> dict:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{str(path)[:200]} is not a file")
    if path.stat().st_size > MAX_RESULTS_BYTES:
        raise InputError(f"{str(path)[:200]} is larger than {MAX_RESULTS_BYTES} bytes")
    try:
        data = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise InputError(f"cannot read {str(path)[:200]} as JSON ({str(e)[:60]})")
    if not isinstance(data, dict):
        raise InputError(f"{str(path)[:200]} is not a results.json (no object at the top)")
    return data


def run(args) -> dict:
    from .common import check_seed
    check_seed(args.seed)
    arch, degree, w = find_witness(_read_results(args.results), args.witness_id)
    out = check_witness(w, arch, degree, seed=args.seed)
    out["exit_status"] = 0 if out["verified"] and out["reproduces_record"] else 1
    return out


def render(result: dict) -> str:
    lines = [f"witness {result['witness_id']}: {result['arch']} r={result['degree']} over {result['field']}",
             f"rank          {result['rank']}",
             f"generic rank  {result['generic_rank']} ({result['generic_rank_certificate']})",
             f"critical      {result['critical']}",
             f"strata        {', '.join(result['strata']) or 'none (not a subnetwork)'}",
             f"verified      {result['verified']}",
             f"as recorded   {result['reproduces_record']}"]
    return "\n".join(lines)
