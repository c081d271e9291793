"""The sweep's side of a general case (issue 22): one (architecture, activation, biases) case
run by :func:`verify.theorem.general_case.run_general_case`, and the record of such a case
that was stopped before it finished.

Serves proofs/activations.md (the general activation and biases checked case by case, next
to the monomial theorem of proofs/README.md).  A general record carries ``activation`` (the
canonical text of s) and ``biases``; its ``degree`` is deg s.  The monomial theorem's
threshold says nothing about it, so it never *contradicts the theorem*
(``contradicts_theorem`` False, no proven threshold), and the sweep does not refresh its
threshold fields (:func:`is_general_record`).

EXAMPLES::

    sage: from verify.run.general import is_general_record
    sage: is_general_record({"arch": "2,2,1", "degree": 2, "activation": "t^2 + t"})
    True
    sage: is_general_record({"arch": "2,2,1", "degree": 2})
    False
"""

from __future__ import annotations

import inspect

from ..core.errors import InputError

__all__ = ["run_general_record", "is_general_record", "with_general_inputs",
           "general_case_runner", "NOT_AVAILABLE"]

#: The one-line reason when the mathematics of the general case is not in this checkout.
NOT_AVAILABLE = ("the general-activation case (verify/theorem/general_case.py, "
                 "run_general_case) is not available in this checkout")


def is_general_record(rec) -> bool:
    """A record of a general case: it names its activation (monomial records do not)."""
    return isinstance(rec, dict) and rec.get("activation") is not None


def general_case_runner():
    """:func:`verify.theorem.general_case.run_general_case`, or InputError (one line) when
    that module is missing."""
    try:
        from ..theorem.general_case import run_general_case
    except ImportError:
        raise InputError(NOT_AVAILABLE)
    return run_general_case


def _stage_callbacks(fn, progress) -> dict:
    """Keyword arguments passing ``progress`` to ``fn``: as ``progress`` (the docs of
    :func:`verify.theorem.case.run_case`) when it takes one, else as ``on_stage`` (a text,
    or such a doc, per stage)."""
    if progress is None:
        return {}
    params = inspect.signature(fn).parameters
    if "progress" in params:
        return {"progress": progress}
    if "on_stage" in params:
        def on_stage(doc):
            progress(doc if isinstance(doc, dict) else {"part": "converse", "stage": str(doc)})
        return {"on_stage": on_stage}
    return {}


def run_general_record(inputs: dict, progress=None) -> dict:
    """The record of one general case from a spec's ``inputs()`` (arch, degree, seed, prime,
    method, activation, biases): :func:`run_general_case`, with the inputs the sweep keys on
    filled in when the record lacks them, and ``contradicts_theorem`` False."""
    fn = general_case_runner()
    record = fn(inputs["arch"], inputs["activation"], biases=bool(inputs["biases"]),
                seed=inputs["seed"], prime=inputs["prime"], method=inputs["method"],
                **_stage_callbacks(fn, progress))
    return with_general_inputs(dict(record), inputs)


def with_general_inputs(record: dict, inputs: dict) -> dict:
    """``record`` with the keys every general record carries, from the case's ``inputs``
    (also for a stopped case: :func:`verify.run.case_process.failed_record`)."""
    from ..core.architecture import Architecture
    arch = Architecture.parse(inputs["arch"])
    for k in ("arch", "seed", "prime", "method"):
        record.setdefault(k, inputs[k])
    record["degree"] = inputs["degree"]
    record["activation"] = inputs["activation"]
    record["biases"] = bool(inputs["biases"])
    record.setdefault("widths", list(arch.widths))
    if "params" not in record:
        from ..core.general_jacobian import parameter_count
        record["params"] = parameter_count(arch, bool(inputs["biases"]))
    record.setdefault("hidden", arch.hidden)
    record["contradicts_theorem"] = False
    record.setdefault("proven_threshold", None)
    return record

