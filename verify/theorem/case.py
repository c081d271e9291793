"""One (architecture, degree) case of the theorem = one record.

Serves proofs/README.md, the theorem (MATH.md section 4) checked case by case:
for a fixed architecture d and degree r the record gathers the certified generic
rank g(d, r) (:mod:`verify.core.rank`), the rank drop on every subnetwork stratum
(``verify.sub_in_crit.stratum_rank.strata_records``), the converse Crit = Sub
(``verify.crit_in_sub.converse.converse``) and the proven threshold r*(d)
(``verify.theorem.threshold.proven_threshold``), and states one verdict for the case:

- ``holds``: Crit = Sub was decided and every stratum is critical;
- ``fails``: a stratum is not critical, or a critical point outside Sub was found;
- ``undecided``: an inclusion was examined only in part (for example random slices,
  which see codimensions 1 and 2 only) or a part did not run; ``examined`` says what
  was examined;
- ``outside-theorem``: the architecture is degenerate (d_0 = 1, width-one
  bottleneck, r = 1); nothing it shows bears on the theorem.

``contradicts_theorem`` is true only for ``fails`` at a degree r >= r*(d) (or one where Theorem
T3 holds alone):
that is the one outcome the suite must never produce.  Parts that are refused
(too large) or raise an error are recorded as ``{"verdict": "not-run", "reason": ...}``
rather than stopping the case.  Wall-clock seconds live under the single
top-level key ``seconds`` (the sweep stores them apart from the results).

EXAMPLES::

    sage: from verify.theorem.case import run_case, weakest_certificate, case_certificate
    sage: rec = run_case("2,2,1", 3, parts=("generic_rank",))
    sage: rec["generic_rank"]["value"], rec["generic_rank"]["certificate"]
    (4, 'exact')
    sage: rec["verdict"], rec["contradicts_theorem"]
    ('undecided', False)
    sage: weakest_certificate(["proved-over-Q", "exhaustive-GF(p)", "exact"])
    'exhaustive-GF(p)'
    sage: case_certificate(["kernel-vectors", "proved-over-Q"]), case_certificate(["exact", "probabilistic"])
    ('proved-over-Q', 'probabilistic')
"""

from __future__ import annotations

import functools
import hashlib
import numbers
import platform
import time
from pathlib import Path

from ..core.architecture import Architecture, check_degree
from ..core.errors import InputError
from ..core.threshold_bounds import theorem_t3_check
from .certificates import case_certificate, strongest_certificate, weakest_certificate

__all__ = ["run_case", "case_verdict", "with_proven_threshold", "empirical_threshold", "case_versions", "freeze_versions", "suite_version", "case_modules", "code_digest", "jsonable", "weakest_certificate", "strongest_certificate",
           "case_certificate", "is_timing_key", "pop_timings",
           "CASE_VERDICTS", "PARTS"]

#: The verdicts a case record can carry (the sweep adds ``timed-out`` and ``error``).
CASE_VERDICTS = ("holds", "fails", "undecided", "outside-theorem", "timed-out", "error")

#: The parts of a case, in the order they run.
PARTS = ("generic_rank", "strata", "converse", "threshold")

#: Folders and modules of ``verify/`` whose source does not change what a cached case
#: holds: the I/O ones.  :func:`suite_version` hashes the modules that compute a case record
#: (:data:`_CASE_ROOTS`) and every module of ``verify/`` they import, at any depth and
#: function-local imports included (:func:`case_modules`), with their packages'
#: ``__init__.py``; ``theorem/threshold.py`` is among them (the converse's method ``theorem``
#: decides the cases at r >= r*(d) by the proven threshold, so a changed bound must recompute
#: them).  A module no case imports (the evidence for Conjecture D5, say) does not invalidate
#: the cache.
_IO_PARTS = {"run", "commands", "cli.py", "__main__.py"}
_CASE_ROOTS = ("theorem/case.py", "theorem/general_case.py")


def suite_version() -> str:
    """Package version + digest of the modules that compute (not the I/O ones).

    Part of every cache key, so editing the mathematics invalidates cached cases.
    """
    try:
        from importlib.metadata import version
        v = version("monomial-criticality-verify")
    except Exception:
        v = "0+unknown"
    return f"{v}+{code_digest()}"


def code_digest(root=None) -> str:
    """Digest of the source of :func:`case_modules` (``root``: a copy of ``verify/``; default
    the package itself)."""
    root = Path(__file__).resolve().parents[1] if root is None else Path(root)
    h = hashlib.sha256()
    for rel in case_modules(root):
        h.update(rel.encode() + b"\0" + (root / rel).read_bytes() + b"\0")
    return h.hexdigest()[:12]


def case_modules(root=None) -> list[str]:
    """The modules of ``verify/`` (paths relative to it) that can change a case record: the
    closure of :data:`_CASE_ROOTS` under the imports written in their source (``from .x import
    y`` and ``from ..x.y import z`` anywhere in a module, ``y`` itself when it is a module), the
    I/O parts excluded, with the ``__init__.py`` of every package on the way.  Read once per
    process and root (parsing the modules costs ~0.1 s; a case needs the key every time)."""
    root = Path(__file__).resolve().parents[1] if root is None else Path(root).resolve()
    return list(_import_closure(str(root)))


@functools.lru_cache(maxsize=None)
def _import_closure(root_text: str) -> tuple[str, ...]:
    import ast
    root = Path(root_text)

    def target(base: Path, dotted: str | None) -> list[Path]:
        path = base.joinpath(*dotted.split(".")) if dotted else base
        return [p for p in (path.with_suffix(".py"), path / "__init__.py") if p.is_file()]

    seen, todo = set(), [root / r for r in _CASE_ROOTS]
    while todo:
        path = todo.pop()
        rel = path.relative_to(root)
        if path in seen or rel.parts[0] in _IO_PARTS:
            continue
        seen.add(path)
        for parent in path.parents:
            if parent == root.parent:
                break
            todo += target(parent, None)                # the packages' __init__.py
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = path.parent
                for _ in range(node.level - 1):
                    base = base.parent
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "verify":
                base, node = root.parent, ast.ImportFrom(node.module, node.names, 0)
            else:
                continue
            found = target(base, node.module)
            mod_dir = base.joinpath(*node.module.split(".")) if node.module else base
            for alias in node.names:
                found += target(mod_dir, alias.name)
            todo += found
    return tuple(sorted(p.relative_to(root).as_posix() for p in seen))


#: case_versions() fixed once for this process and its forks (:func:`freeze_versions`).
_FROZEN_VERSIONS: dict | None = None


def freeze_versions() -> dict:
    """Compute :func:`case_versions` once and return it from then on in this process and in
    every process forked from it (the sweep's zygote: the code its cases run is the code it
    imported, and the digest of the modules costs ~15 ms a case)."""
    global _FROZEN_VERSIONS
    _FROZEN_VERSIONS = None
    _FROZEN_VERSIONS = case_versions()
    return dict(_FROZEN_VERSIONS)


def case_versions() -> dict:
    """Library versions that can change a record: Python, Sage (passagemath), numpy, suite."""
    if _FROZEN_VERSIONS is not None:
        return dict(_FROZEN_VERSIONS)
    from importlib.metadata import version, PackageNotFoundError
    out = {"python": platform.python_version(), "suite": suite_version()}
    try:
        from sage.version import version as sage_version
        out["sage"] = sage_version
    except ImportError:
        out["sage"] = None
    for name in ("passagemath-standard", "numpy"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def jsonable(obj):
    """Plain JSON values for a record: Sage/numpy integers -> int, rationals -> "p/q" strings,
    tuples -> lists, other objects -> str.  Floats stay floats."""
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, float):
        return obj
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, (set, frozenset)):
        return sorted((jsonable(v) for v in obj), key=repr)
    if isinstance(obj, numbers.Integral):          # Sage Integer, numpy integers
        return int(obj)
    if isinstance(obj, numbers.Rational):          # Sage Rational, Fraction
        return str(obj)
    if hasattr(obj, "as_dict"):
        return jsonable(obj.as_dict())
    if hasattr(obj, "item") and callable(obj.item):          # numpy scalar
        try:
            return jsonable(obj.item())
        except (TypeError, ValueError):
            pass
    return str(obj)


def is_timing_key(key: str) -> bool:
    """Keys that hold wall-clock measurements (``seconds``, ``scan_seconds``,
    ``points_per_second``, ``elapsed``, ...): never part of a record's results."""
    k = str(key).lower()
    return "second" in k or "elapsed" in k or k in {"wall", "time", "timing", "timings"}


def pop_timings(obj, path: str, out: dict):
    """Remove every timing key from nested dicts, collecting numbers under dotted paths."""
    if isinstance(obj, dict):
        for k in [k for k in obj if is_timing_key(k)]:
            v = obj.pop(k)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out[f"{path}.{k}" if path else k] = float(v)
        for k, v in obj.items():
            pop_timings(v, f"{path}.{k}" if path else k, out)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            pop_timings(v, f"{path}[{i}]", out)


def _not_run(reason: str) -> dict:
    return {"verdict": "not-run", "reason": reason}


def _part(fn, *args, **kwargs):
    """Run one part; InputError (too large, bad input) and crashes become a not-run record."""
    start = time.perf_counter()
    try:
        out = fn(*args, **kwargs)
    except InputError as e:
        out = _not_run(f"refused: {e}")
    except Exception as e:                       # a bug in a part must not lose the case
        out = _not_run(f"error: {type(e).__name__}: {e}")
    return out, time.perf_counter() - start


def _generic_rank(arch, r, prime, seed):
    """The certified generic rank (:func:`verify.sub_in_crit.subnetwork_rank.proved_generic_rank`:
    a sampled lower bound is ``exact`` when a proved upper bound of proofs/strata.md meets it,
    and the record names the bound)."""
    from ..sub_in_crit.subnetwork_rank import proved_generic_rank
    return proved_generic_rank(arch, r, prime=prime, seed=seed).as_dict()


def _strata(arch, r, prime, seed):
    from ..sub_in_crit.stratum_rank import strata_records
    records = jsonable(strata_records(arch, r, seed=seed, prime=prime))
    return {"verdict": "run", "records": records,
            "all_critical": all(rec.get("critical") is True for rec in records),
            "all_agree": all(rec.get("agree") is not False for rec in records),
            "certificate": weakest_certificate(rec.get("certificate") for rec in records)}


def _converse(arch, r, prime, seed, method, strata, on_stage=None):
    """The converse; it reuses the strata part's records (same arch, r, seed, prime)."""
    from ..crit_in_sub.converse import converse
    records = strata.get("records") if strata.get("verdict") == "run" else None
    return jsonable(converse(arch, r, method=method, prime=prime, seed=seed, strata=records,
                             on_stage=on_stage))


def _threshold(arch):
    from .threshold import proven_threshold
    return jsonable(proven_threshold(arch))


def proven_degree(threshold: dict):
    """The proven threshold r*(d) as an int from a proven_threshold record, or None."""
    v = threshold.get("value") if isinstance(threshold, dict) else None
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def with_proven_threshold(record: dict) -> dict:
    """``record`` with its proven-threshold fields (``threshold``, ``proven_threshold``,
    ``above_proven_threshold``, ``contradicts_theorem``) computed afresh from its ``arch``
    and ``degree`` by the current proofs/threshold.md code: how a case gets them, and how
    the sweep refreshes every record it reads (a record read back shows the current proven
    threshold).  A broken threshold module gives a not-run part, never a lost record."""
    threshold, _ = _part(_threshold, Architecture.parse(record["arch"]))
    return {**record, **_threshold_fields(threshold, record["arch"], int(record["degree"]),
                                          record.get("verdict"))}


def _threshold_fields(threshold: dict, arch, r: int, verdict) -> dict:
    """The proven-threshold fields; a failure contradicts the theorem at r >= r* and at a
    degree where Theorem T3 holds alone (proofs/threshold.md, section 15)."""
    r_star = proven_degree(threshold)
    above = None if r_star is None else r >= r_star
    proved_here = bool(above) or (r_star is not None and verdict == "fails"
                                  and theorem_t3_check(arch, r)["holds"])
    return {"threshold": threshold, "proven_threshold": r_star, "above_proven_threshold": above,
            "contradicts_theorem": bool(verdict == "fails" and proved_here)}


def _named_certificate(part: dict):
    """A part's certificate, with the prime of ``exhaustive-GF(p)`` filled in when known."""
    cert = part.get("certificate")
    if cert == "exhaustive-GF(p)":
        details = part.get("details") or {}
        p = part.get("prime") or details.get("prime") or details.get("p")
        if p:
            return f"exhaustive-GF({p})"
    return cert


def _generic_rank_from_converse(parts):
    """A generic rank sampled only as a lower bound becomes ``exact`` when the symbolic
    converse proved the same value (the rank of the top stratum chart's Jacobian over the
    fraction field of its ring: that chart meets every orbit of a dense open set,
    proofs/converse.md, Lemma C)."""
    g, conv = parts.get("generic_rank") or {}, parts.get("converse") or {}
    d = conv.get("details") or {}
    if g.get("certificate") != "exact" and d.get("generic_rank_certificate") == "exact" \
            and d.get("generic_rank") is not None and d["generic_rank"] == g.get("value"):
        parts["generic_rank"] = {**g, "certificate": "exact",
                                 "statement": d.get("generic_rank_statement"),
                                 "proved_by": "the symbolic converse (fraction-field rank)"}


def inclusions(parts) -> tuple[dict, dict]:
    """The two inclusions of the case, each ``{"holds", "certificate", "coverage", ...}``:
    Sub in Crit from the strata part, Crit in Sub from the converse part."""
    strata, conv = parts["strata"], parts["converse"]
    if strata.get("verdict") == "run":
        recs = strata["records"]
        from ..sub_in_crit.stratum_rank import criticality_certificate, every_stratum_critical
        bad = [rec for rec in recs if rec.get("critical") is False]
        holds = every_stratum_critical(recs)
        certs = [criticality_certificate(rec) for rec in (bad or recs)]
        sub = {"holds": holds, "coverage": "every stratum",
               "certificate": strongest_certificate(certs) if bad else weakest_certificate(certs),
               "failing_strata": [f"{rec.get('kind')}{rec.get('layer')}" for rec in bad]}
    else:
        sub = {"holds": None, "coverage": None, "certificate": None,
               "reason": strata.get("reason", "not run")}
    block = conv.get("crit_in_sub") if isinstance(conv.get("crit_in_sub"), dict) else None
    if block is not None:
        crit = {k: block.get(k) for k in ("holds", "certificate", "coverage", "method")}
        if block.get("reason"):
            crit["reason"] = block["reason"]
        if crit["holds"] is False:
            crit["witnesses"] = sum(1 for w in conv.get("witnesses") or [] if w.get("verified"))
        if crit["holds"] is True:
            crit["certificate"] = _named_certificate({**conv, "certificate": crit["certificate"]})
    else:
        crit = {"holds": None, "coverage": None, "certificate": None,
                "reason": str(conv.get("reason") or conv.get("verdict"))}
    return sub, crit


def case_verdict(arch, r, parts) -> tuple[str, str | None, list[str]]:
    """Overall verdict of the case, its certificate, and the reasons, from its ``parts``
    (``strata``, ``converse`` and optionally ``generic_rank``; a part that did not finish is
    ``{"verdict": "not-run", "reason": ...}``: the sweep gives a stopped case its verdict
    from the parts it finished).

    ``fails`` needs one inclusion shown false (a witness re-verified exactly is a proof,
    whichever method found it) and carries the strongest certificate among the failures;
    ``holds`` needs both inclusions shown on every codimension and carries the weakest
    certificate among them, the generic rank's included; anything less is ``undecided``.
    """
    if arch.degeneracy(r):
        return "outside-theorem", None, arch.degeneracy(r)
    sub, crit = inclusions(parts)
    why, fail_certs = [], []
    if sub["holds"] is False:
        why.append("Sub not in Crit: strata not critical: " + ", ".join(sub["failing_strata"]))
        fail_certs.append(sub["certificate"])
    if crit["holds"] is False:
        why.append(f"Crit not in Sub: {crit.get('witnesses', 0)} exact witness(es) "
                   f"({crit['method']})")
        fail_certs.append("proved-over-Q")
    if fail_certs:
        return "fails", strongest_certificate(fail_certs), why
    if sub["holds"] is True and crit["holds"] is True and crit["coverage"] == "all-codimensions":
        certs = [sub["certificate"], crit["certificate"],
                 (parts.get("generic_rank") or {}).get("certificate")]
        where = ("at every point: r >= the proven threshold r*(d), by the statement of "
                 "proofs/threshold.md that proves it (method theorem)"
                 if crit.get("method") == "theorem" else
                 "on every stratum of the chart cover (all codimensions), proved over QQ"
                 if crit["certificate"] == "proved-over-Q" else
                 f"at every GF(p)-point of the chart cover (all codimensions; "
                 f"{crit['certificate']}: evidence for QQ, not a proof)")
        return "holds", case_certificate(certs), [
            f"every stratum is critical ({sub['certificate']}), and Crit is inside Sub {where}"]
    return "undecided", None, why + undecided_reasons(sub, crit)


def undecided_reasons(sub: dict, crit: dict) -> list[str]:
    """What an undecided case says of each inclusion left open (from :func:`inclusions`)."""
    why = []
    if sub["holds"] is None:
        why.append("Sub in Crit: " + str(sub.get("reason") or "some stratum undecided"))
    if crit["holds"] is None:
        why.append("Crit in Sub examined on " + str(crit.get("coverage") or "nothing")
                   + (f" ({crit['reason']})" if crit.get("reason") else ""))
    return why


def _tell(progress, doc: dict):
    """Pass ``doc`` to the caller's ``progress`` (advisory: its failure changes nothing)."""
    if progress is not None:
        try:
            progress(doc)
        except Exception:
            pass


def run_parts(order, wanted, runners: dict, progress, out: dict) -> tuple[dict, dict]:
    """Run ``runners[name]`` for each name of ``order`` in ``wanted`` (into ``out``, which the
    runners may read: a later part sees the earlier ones), the others ``not requested``;
    ``progress`` hears each start and end as :func:`run_case` documents.  Returns the parts as
    JSON values with their timings taken out, and the seconds (per part, and the timings)."""
    seconds = {}
    for name in order:
        if name in wanted:
            _tell(progress, {"part": name})
            out[name], seconds[name] = _part(runners[name])
            if progress is not None:
                value = jsonable(out[name])
                pop_timings(value, "", {})
                _tell(progress, {"finished": name, "value": value})
        else:
            out[name] = _not_run("not requested")
    values, inner = jsonable(out), {}
    pop_timings(values, "", inner)
    seconds.update(inner)
    return values, seconds


def run_case(arch, r, seed: int = 0, prime=None, method: str = "auto", parts=PARTS,
             progress=None) -> dict:
    """The record of one (architecture, degree); ``parts`` selects which parts run,
    ``method`` is the converse's (``"none"``: no converse).

    ``progress`` (optional) is called with ``{"part": name}`` as each part starts,
    ``{"part": "converse", "stage": text}`` as each stage of the converse starts, and
    ``{"finished": name, "value": part}`` (JSON values, timings removed) as each part ends:
    a sweep that stops a slow case keeps its finished parts and says where it stood.

    Keys: ``arch, widths, degree, seed, prime, method, params, hidden, ambient,
    expected, degenerate, generic_rank, strata, converse, threshold, proven_threshold,
    above_proven_threshold, verdict, certificate, reasons, contradicts_theorem,
    versions, seconds``.  Everything except ``seconds`` is a function of the inputs
    and the library versions.
    """
    from ..core.rank import DEFAULT_PRIME, check_prime
    arch = Architecture.parse(arch)
    r = check_degree(r)
    p = check_prime(DEFAULT_PRIME if prime is None else prime)
    seed = int(seed)
    start = time.perf_counter()
    out = {}
    runners = {                       # parts other than the rank choose their own prime
        "generic_rank": lambda: _generic_rank(arch, r, p, seed),
        "strata": lambda: _strata(arch, r, prime, seed),
        "converse": lambda: _converse(arch, r, prime, seed, method,
                                      out.get("strata", _not_run("not requested")),
                                      lambda text: _tell(progress, {"part": "converse",
                                                                    "stage": text})),
        "threshold": lambda: _threshold(arch),
    }
    if method == "none":
        parts = tuple(p_ for p_ in parts if p_ != "converse")
    out, seconds = run_parts(PARTS, parts, runners, progress, out)
    _generic_rank_from_converse(out)
    out["sub_in_crit"], out["crit_in_sub"] = inclusions(out)
    verdict, certificate, reasons = case_verdict(arch, r, out)
    seconds["total"] = time.perf_counter() - start
    return {
        "arch": str(arch), "widths": list(arch.widths), "degree": r, "seed": seed, "prime": p,
        "method": method, "params": arch.params, "hidden": arch.hidden,
        "ambient": arch.ambient(r), "expected": arch.expected_dimension(r),
        "degenerate": arch.degeneracy(r), **out,
        **_threshold_fields(out["threshold"], arch, r, verdict),
        "verdict": verdict, "certificate": certificate, "reasons": reasons,
        "versions": case_versions(), "seconds": seconds,
    }


def empirical_threshold(arch, max_degree=None, seed: int = 0, prime=None, method: str = "auto",
                        min_degree: int = 2, runner=None) -> dict:
    """:func:`verify.theorem.threshold.empirical_threshold` with ``runner`` defaulting to
    :func:`run_case` (each degree in this process): the public ``verify.empirical_threshold``."""
    from .threshold import empirical_threshold as scan
    return scan(arch, max_degree=max_degree, seed=seed, prime=prime, method=method,
                min_degree=min_degree, runner=run_case if runner is None else runner)
