"""Weight points theta = (W_1, ..., W_L): parsing, validation, seeded random draws.

Serves proofs/README.md, "Setting and counts": the flat coordinate order of theta
is row-major, W_1 first, which is the column order of every Jacobian in the suite.

EXAMPLES::

    sage: from verify.core.architecture import Architecture
    sage: from verify.core.weights import parse_weights, flatten, unflatten
    sage: a = Architecture.parse("2,2,1")
    sage: W = parse_weights(a, '[[[1, 2], [3, "1/2"]], [[1, -1]]]')
    sage: flatten(W)
    [1, 2, 3, 1/2, 1, -1]
    sage: unflatten(a, flatten(W)) == W
    True
"""

from __future__ import annotations

import json
import math
import random

from .errors import InputError

__all__ = ["parse_weights", "flatten", "unflatten", "random_weights", "clear_denominators",
           "to_jsonable", "bounded_json_int"]


#: Largest numerator or denominator of a weight entry, in bits (entries written as text are
#: bounded before they are evaluated: verify.core.expressions).
MAX_ENTRY_BITS = 4096
#: Longest weights text accepted (characters).
MAX_WEIGHTS_TEXT = 10 ** 6
#: Most digits of an integer in a JSON text (a 4096-bit number has 1234): Sage lifts Python's
#: limit on int conversion, which is quadratic, so a longer one is refused before it is converted.
MAX_JSON_DIGITS = 1234


def bounded_json_int(text: str) -> int:
    """``parse_int`` for :func:`json.loads`: InputError past MAX_JSON_DIGITS digits."""
    if len(text) > MAX_JSON_DIGITS + 1:
        raise InputError(f"a JSON integer has {len(text)} digits (limit MAX_JSON_DIGITS = {MAX_JSON_DIGITS})")
    return int(text)


def _rational(v):
    """A weight entry in QQ: an int, an integral float, or a text read by
    :func:`verify.core.expressions.rational` (bounded before it is evaluated)."""
    from sage.all import QQ
    from .expressions import rational
    if v is None or isinstance(v, (bool, list, tuple, dict)):
        raise InputError(f"weight entries must be integers or rationals, got {str(v)[:40]}")
    if isinstance(v, float):
        if not math.isfinite(v):
            raise InputError(f"weight entries must be finite exact numbers, got {v!r} (a JSON number "
                             "too large for a float, or NaN); write big numbers as integers or strings")
        if not v.is_integer():
            raise InputError(f"weight entries must be exact: write {v!r} as a fraction string like \"1/2\"")
        v = int(v)
    if isinstance(v, str):
        q = rational(v, what="weight entry")
    elif isinstance(v, int):
        if v.bit_length() > MAX_ENTRY_BITS:
            raise InputError(f"weight entry {str(v)[:20]}... has more than {MAX_ENTRY_BITS} bits (limit)")
        q = QQ(v)
    else:                                  # a Sage or Python rational from the API
        try:
            q = QQ(v)
        except (TypeError, ValueError, ZeroDivisionError, ArithmeticError):
            raise InputError(f"weight entries must be integers or rationals, got {str(v)[:40]!r}")
    if max(q.numerator().nbits(), q.denominator().nbits()) > MAX_ENTRY_BITS:
        raise InputError(f"weight entry {str(v)[:20]}... has more than {MAX_ENTRY_BITS} bits (limit)")
    return q


def _nesting_depth(text: str, limit: int) -> int:
    """Deepest bracket nesting of a JSON text (strings skipped); stops above ``limit``."""
    depth = deepest = 0
    in_string = escape = False
    for ch in text:
        if in_string:
            if escape:
                escape = False
            elif ch == "\\":
                escape = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif ch in "]}":
            depth -= 1
    return deepest


def parse_weights(arch, weights, ring=None):
    """Return weights as a list of lists of rows over ``ring`` (default QQ), checking shapes.

    ``weights`` is a JSON string or a nested list: W_1 first, each a list of rows;
    entries are integers, rational strings like ``"2/3"``, or elements of ``ring``.
    The text is refused before it is parsed when it nests deeper than 3 brackets
    (list of matrices of rows) or is longer than MAX_WEIGHTS_TEXT.
    """
    if isinstance(weights, str):
        if len(weights) > MAX_WEIGHTS_TEXT:
            raise InputError(f"weights text has {len(weights)} characters (limit {MAX_WEIGHTS_TEXT})")
        if _nesting_depth(weights, 3) > 3:
            raise InputError("weights nest deeper than a list of matrices of rows (3 levels)")
        try:
            weights = json.loads(weights, parse_int=bounded_json_int)
        except InputError:
            raise
        except json.JSONDecodeError as e:
            raise InputError(f"weights are not valid JSON ({e.msg} at char {e.pos})")
        except (ValueError, RecursionError) as e:
            raise InputError(f"weights are not valid JSON ({str(e)[:60]})")
    if not isinstance(weights, (list, tuple)) or len(weights) != arch.depth:
        raise InputError(f"weights must be a list of {arch.depth} matrices for {arch}")
    out = []
    for l, (W, (rows, cols)) in enumerate(zip(weights, arch.layer_shapes), start=1):
        shape_ok = (isinstance(W, (list, tuple)) and len(W) == rows
                    and all(isinstance(row, (list, tuple)) and len(row) == cols for row in W))
        if not shape_ok:
            raise InputError(f"W_{l} must be {rows}x{cols} for architecture {arch}")
        if ring is None:
            out.append([[_rational(v) for v in row] for row in W])
        else:
            out.append([[ring(v) for v in row] for row in W])
    return out


def flatten(weights) -> list:
    """Flat coordinate vector of theta, row-major, W_1 first."""
    return [v for W in weights for row in W for v in row]


def unflatten(arch, flat) -> list:
    """Inverse of :func:`flatten`."""
    flat = list(flat)
    if len(flat) != arch.params:
        raise InputError(f"need {arch.params} weights for {arch}, got {len(flat)}")
    out, k = [], 0
    for rows, cols in arch.layer_shapes:
        out.append([flat[k + i * cols: k + (i + 1) * cols] for i in range(rows)])
        k += rows * cols
    return out


def random_weights(arch, seed: int, bound: int, ring=None) -> list:
    """Seeded random integer weights, uniform in [-bound, bound] (or in ``ring``)."""
    rng = random.Random(int(seed))
    flat = [rng.randint(-bound, bound) for _ in range(arch.params)]
    if ring is not None:
        flat = [ring(v) for v in flat]
    return unflatten(arch, flat)


def clear_denominators(weights):
    """Scale each W_l by the lcm of its denominators; returns integer weights.

    Scaling W_l by a nonzero constant multiplies Phi by a constant and the
    Jacobian's columns by constants, so the rank at the point is unchanged
    (proofs/README.md, Lemma "scaling").
    """
    from sage.all import ZZ, lcm
    out = []
    for W in weights:
        m = lcm([ZZ(1)] + [v.denominator() for row in W for v in row])
        out.append([[int(v * m) for v in row] for row in W])
    return out


def to_jsonable(weights):
    """Weights as nested lists of ints, or of strings for non-integers."""
    def conv(v):
        try:
            if v.denominator() == 1:
                return int(v)
        except AttributeError:
            if isinstance(v, int):
                return v
        return str(v)
    return [[[conv(v) for v in row] for row in W] for W in weights]
