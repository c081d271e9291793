"""``check-witness RESULTS_JSON (WITNESS_ID | --all)``: re-verify recorded witnesses exactly.

A witness is a weight point the converse (proofs/converse.md) recorded as critical and
outside Sub. Its record carries the weights, the field (``QQ`` or ``QQ[a]/(m)``) and the
minimal polynomial ``m`` of ``a``; :func:`check_witness` rebuilds the point over that field
(verify.crit_in_sub.common.decode_witness), recomputes the certified generic rank g
(verify.sub_in_crit.subnetwork_rank.proved_generic_rank: a proved lower bound), the exact rank of J at the point
over the field and the subnetwork strata containing it (verify.crit_in_sub.common.witness_record):
``verified`` = rank < g (critical, proved) and no stratum contains the point (not in Sub).

Witness ids (:func:`witness_id`) are a short hash of (architecture, degree, weights, field),
so the same point gets the same id in every report. The command recomputes the id of every
record of the file from its content and refuses the file (exit 2, one line) when a recorded
id differs (an edited record), when its shape is not a results.json's, or when a witness's
field label and minimal polynomial disagree; entries and minimal polynomials are read by
:mod:`verify.core.expressions` (bounded before evaluation) and every case passes the cost
guard. ``--all`` re-verifies every witness, one line each, and exits 1 when any fails.

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
from ..core.cost import check_cost
from ..core.errors import InputError
from ..core.weights import bounded_json_int
from ..crit_in_sub.common import witness_id
from .common import add_allow_large, check_point

__all__ = ["witness_id", "check_witness", "find_witness", "iter_witnesses", "minimal_polynomial_of"]

HELP = "re-verify a witness of a report exactly: rank over its field, generic rank, strata"

#: Largest results.json read (bytes): a file is parsed whole, and a check must stay well
#: inside 2 GB of memory.
MAX_RESULTS_BYTES = 200 * 10 ** 6


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
    out = [w for w in _list_of(conv.get("witnesses"), "a converse's witnesses")
           if isinstance(w, dict) and "weights" in w]
    cis = case.get("crit_in_sub") if isinstance(case.get("crit_in_sub"), dict) else {}
    if isinstance(cis.get("witnesses"), list):          # a record that keeps them there too
        out += [w for w in cis["witnesses"] if isinstance(w, dict) and "weights" in w]
    return out


def _list_of(value, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"results: {what} must be a list, got {type(value).__name__} {str(value)[:30]}")
    return value


def _content_id(arch, degree, w: dict, where: str) -> str:
    """The witness id recomputed from the record's content; InputError when the record is
    malformed or carries another id (its weights, field, architecture or degree were edited)."""
    try:
        wid = witness_id(arch, degree, w["weights"], w.get("field"))
    except InputError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError) as e:
        raise InputError(f"results: {where} is not a witness record ({type(e).__name__}: {str(e)[:60]})")
    recorded = w.get("id")
    if recorded is not None and recorded != wid:
        raise InputError(f"results: witness {str(recorded)[:40]!r} ({where}) does not match its content, "
                         f"whose id is {wid}: the record was edited; refused")
    return wid


def iter_witnesses(results: dict):
    """(witness id, arch, degree, witness dict) of every witness of a results.json content:
    the converse's witnesses of every case, then the catalogue of classes. The id is
    recomputed from each record's architecture, degree, weights and field; InputError (one
    line) when the content is not a results.json or a recorded id differs from it."""
    if not isinstance(results, dict):
        raise InputError("results: not a results.json (no object at the top)")
    for i, case in enumerate(_list_of(results.get("cases"), "'cases'")):
        if not isinstance(case, dict) or "arch" not in case or "degree" not in case:
            raise InputError(f"results: case {i} is not a case record (an object with arch and degree)")
        for j, w in enumerate(_case_witnesses(case)):
            where = f"case {i} ({str(case['arch'])[:30]} r={str(case['degree'])[:12]}) witness {j}"
            yield _content_id(case["arch"], case["degree"], w, where), case["arch"], case["degree"], w
    for j, w in enumerate(_list_of(results.get("non_subnetwork_critical_points"),
                                   "'non_subnetwork_critical_points'")):
        if isinstance(w, dict) and "weights" in w and "arch" in w:
            where = f"non_subnetwork_critical_points entry {j}"
            yield _content_id(w["arch"], w.get("degree"), w, where), w["arch"], w.get("degree"), w


def find_witness(results: dict, wid: str):
    """(arch, degree, witness) of the first witness with id ``wid``; InputError when none, or
    when any record of the results does not match its id (:func:`iter_witnesses`)."""
    wid = str(wid).strip()
    found = None
    for other, arch, degree, w in iter_witnesses(results):     # every id checked, not just wid
        if other == wid and found is None:
            found = (arch, degree, w)
    if found is None:
        raise InputError(f"no witness with id {wid[:40]!r} in the results "
                         "(ids are listed in REPORT.md and in results.json)")
    return found


def _decoded(arch, rec: dict):
    """(K, weights over K) of a witness record, its field label checked against its minimal
    polynomial (the id covers the label, so the two must name the same field)."""
    from ..crit_in_sub.common import decode_witness
    m = minimal_polynomial_of(rec)
    try:
        K, W = decode_witness(arch, {"weights": rec["weights"], "minimal_polynomial": m})
    except InputError:
        raise
    except Exception as e:
        raise InputError(f"cannot read the witness over its field: {type(e).__name__}: {str(e)[:80]}")
    label = str(rec.get("field") or "QQ").replace(" ", "")
    field = "QQ" if m is None else f"QQ[a]/({K.polynomial().change_variable_name('a')})"
    label = {"Q": "QQ", "None": "QQ"}.get(label, label)
    if rec.get("field") is not None and label != field.replace(" ", ""):
        raise InputError(f"witness field {label[:60]!r} does not match its minimal polynomial "
                         f"({field[:60]}); refused")
    return K, W


def check_witness(record_or_witness, arch=None, degree=None, seed: int = 0, prime=None) -> dict:
    """Re-verify a witness exactly over its field (its minimal polynomial is used).

    ``record_or_witness``: a witness dict (``weights``, ``field``, ``minimal_polynomial``, and
    ``arch``/``degree`` unless given here), or a case record (every witness of its converse is
    checked; the result has ``witnesses``). Returns rank, generic rank (recomputed, a proved
    lower bound), ``critical``, ``strata``, ``verified`` and ``reproduces_record`` (the
    recomputed rank, generic rank and verdict equal the recorded ones, where recorded).
    """
    from ..sub_in_crit.subnetwork_rank import proved_generic_rank
    from ..crit_in_sub.common import witness_record
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
    K, W = _decoded(arch, rec)
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
    p.add_argument("witness_id", nargs="?", default=None,
                   help="the witness id printed in REPORT.md (e.g. w1a2b3c4d5e); or --all")
    p.add_argument("--all", action="store_true",
                   help="re-verify every witness of the file, one line each (exit 1 if any fails)")
    p.add_argument("--seed", type=int, default=0, help="seed of the generic rank's random points (default 0)")
    add_allow_large(p)


def _read_results(path) -> dict:
    path = Path(path)
    try:
        if not path.is_file():
            raise InputError(f"{str(path)[:200]} is not a file")
        if path.stat().st_size > MAX_RESULTS_BYTES:
            raise InputError(f"{str(path)[:200]} is larger than MAX_RESULTS_BYTES = {MAX_RESULTS_BYTES} bytes")
        data = json.loads(path.read_bytes().decode("utf-8"), parse_int=bounded_json_int)
    except InputError:
        raise
    except (OSError, UnicodeDecodeError, ValueError, RecursionError, MemoryError) as e:
        raise InputError(f"cannot read {str(path)[:200]} as JSON ({type(e).__name__}: {str(e)[:60]})")
    if not isinstance(data, dict):
        raise InputError(f"{str(path)[:200]} is not a results.json (no object at the top)")
    return data


def _checked_case(arch, degree, w, allow_large: bool):
    """(Architecture, degree) of a witness, within the cost guard, its record readable."""
    a = Architecture.parse(arch)
    r = check_degree(degree)
    check_cost(a, r, allow_large=allow_large)
    K, W = _decoded(a, w)
    check_point(a, r, W, K, allow_large=allow_large)
    return a, r


def run(args) -> dict:
    from .common import check_seed
    check_seed(args.seed)
    if args.all == (args.witness_id is not None):
        raise InputError("give one WITNESS_ID or --all")
    results = _read_results(args.results)
    if not args.all:
        arch, degree, w = find_witness(results, args.witness_id)
        arch, degree = _checked_case(arch, degree, w, args.allow_large)
        out = check_witness(w, arch, degree, seed=args.seed)
        out["exit_status"] = 0 if out["verified"] and out["reproduces_record"] else 1
        return out
    todo = {}
    for wid, arch, degree, w in iter_witnesses(results):      # every id checked first
        todo.setdefault(wid, (arch, degree, w))
    cases = {wid: _checked_case(arch, degree, w, args.allow_large) + (w,)   # every record readable
             for wid, (arch, degree, w) in todo.items()}
    checks = [check_witness(w, arch, degree, seed=args.seed) for arch, degree, w in cases.values()]
    failed = [c["witness_id"] for c in checks if not (c["verified"] and c["reproduces_record"])]
    return {"all": True, "results": str(args.results), "witnesses": checks,
            "verified": len(checks) - len(failed), "failed": failed,
            "exit_status": 1 if failed else 0}


def _line(c: dict) -> str:
    ok = c["verified"] and c["reproduces_record"]
    why = (f"rank {c['rank']} {'<' if c['critical'] else '>='} {c['generic_rank']} = g, "
           + (f"in {', '.join(c['strata'])}" if c["strata"] else "in no stratum")
           + ("" if c["reproduces_record"] else ", differs from the record"))
    return (f"{c['witness_id']}  {c['arch']} r={c['degree']} over {c['field']}: "
            f"{'verified' if ok else 'FAILED'} ({why})")


def render(result: dict) -> str:
    if result.get("all"):
        n = len(result["witnesses"])
        return "\n".join([_line(c) for c in result["witnesses"]]
                         + [f"{result['verified']} of {n} witnesses verified"
                            + (f"; failed: {', '.join(result['failed'])}" if result["failed"] else "")])
    lines = [f"witness {result['witness_id']}: {result['arch']} r={result['degree']} over {result['field']}",
             f"rank          {result['rank']}",
             f"generic rank  {result['generic_rank']} ({result['generic_rank_certificate']})",
             f"critical      {result['critical']}",
             f"strata        {', '.join(result['strata']) or 'none (not a subnetwork)'}",
             f"verified      {result['verified']}",
             f"as recorded   {result['reproduces_record']}"]
    return "\n".join(lines)
