"""The cost guard: refuse, from the inputs alone, what would not fit in memory or time.

Serves proofs/README.md, "Conventions" (bad input: one line, exit 2).  Before a
command builds anything it estimates the size of the Jacobian it is about to
build from the architecture and the degree only (nothing is allocated here):

- the ambient dimension A = d_L * binom(d_0 - 1 + D, D), D = r^(L-1);
- the entries of the Jacobian: A * N for the exact commands (coefficient or
  principal-lattice Jacobian), rows * N with rows = d_L * min(binom(d_0 - 1 + D, D),
  N - H + 4) for the modular generic rank (``rank``);
- the bits of the exact Jacobian: entries times the bits of one entry
  (about weight_degree(r) * (10 + log2 max d_l) + D * log2(D + 1) for small weights);
- the number of degrees of a range or scan and the number of cases of a sweep;
- at a given point (``point``, ``check-witness``: :func:`check_point_cost`), the bits of the
  exact Jacobian from the bits of the point's entries and the degree of its field.

Documented limits (raise them with ``--allow-large``, which lifts the size limits
but not the count limits, since a list of a million cases is never meant):

=====================  =====================================================
``MAX_ENTRIES``        10^7 Jacobian entries (80 MB of machine words)
``MAX_BITS``           8 * 10^9 bits of exact integers (1 GB)
``MAX_DEGREES``        1000 degrees in one range, list or threshold scan
``MAX_CASES``          10000 cases in one sweep
``MAX_TIMEOUT``        604800 s (7 days) per case
``MAX_LOG2_D``         64: the output degree D = r^(L-1) stays below 2^64 (not lifted)
``MAX_LOG2_AMBIENT``   8192: the ambient dimension A stays below 2^8192 (not lifted)
=====================  =====================================================

Everything is computed in log2, so a degree with thousands of digits costs nothing.

EXAMPLES::

    sage: from verify.core.architecture import Architecture
    sage: from verify.core.cost import check_cost, count_degrees, estimate
    sage: e = estimate(Architecture.parse("2,3,2,1"), 4)
    sage: int(round(2 ** e["log2_ambient"])), int(round(2 ** e["log2_entries"]))
    (17, 238)
    sage: check_cost(Architecture.parse("2,2,1"), 10 ** 9)
    Traceback (most recent call last):
    ...
    verify.core.errors.InputError: 2,2,1 at r=1000000000: the Jacobian would have about 6e+09 entries (limit 1e+07 entries; --allow-large lifts it)
    sage: count_degrees("2-6,9")
    6
"""

from __future__ import annotations

import math

from .errors import InputError

__all__ = ["MAX_ENTRIES", "MAX_BITS", "MAX_DEGREES", "MAX_CASES", "MAX_TIMEOUT", "MAX_LOG2_D", "MAX_LOG2_AMBIENT", "estimate",
           "check_cost", "check_point_cost", "count_degrees", "check_degree_count", "check_number"]

MAX_ENTRIES = 10 ** 7
MAX_BITS = 8 * 10 ** 9
MAX_DEGREES = 1000
MAX_CASES = 10_000
MAX_TIMEOUT = 7 * 24 * 3600
MAX_LOG2_D = 64
MAX_LOG2_AMBIENT = 8192


def _log2_int(n: int) -> float:
    """log2 of a positive int of any size."""
    n = int(n)
    if n <= 0:
        return float("-inf")
    b = n.bit_length()
    if b <= 1000:
        return math.log2(n)
    return (b - 53) + math.log2(n >> (b - 53))


def _log2_binom_plus(log2D: float, D: int | None, k: int) -> float:
    """log2 binom(D + k, k) for k = d_0 - 1 (D given exactly when small, else by its log2)."""
    if k <= 0:
        return 0.0
    if D is not None and D <= k:                   # binom(D + k, D): D terms
        k, D = D, k
        log2D = math.log2(D) if D > 0 else float("-inf")
    total = 0.0
    steps = min(k, 100_000)
    for i in range(1, steps + 1):
        if D is not None and log2D < 50:
            total += math.log2((D + i) / i)
        else:
            total += max(0.0, log2D - math.log2(i))
    if steps < k:                                  # a lower bound is enough to refuse
        total += (k - steps) * max(0.0, log2D - math.log2(k))
    return total


def estimate(arch, r: int, modular: bool = False) -> dict:
    """log2 of the ambient dimension, of the Jacobian's entries and of its bits.

    ``modular``: the evaluation Jacobian of the modular generic rank (rows capped
    at N - H + 4 points), machine words; else the exact Jacobian (A rows).
    """
    r = int(r)
    L = arch.depth
    log2D = (L - 1) * _log2_int(r)
    D = r ** (L - 1) if log2D < 64 else None
    log2_mono = _log2_binom_plus(log2D, D, arch.widths[0] - 1)
    log2_dL, log2_N = _log2_int(arch.widths[-1]), _log2_int(arch.params)
    log2_ambient = log2_dL + log2_mono
    if modular:
        rows = log2_dL + min(log2_mono, _log2_int(arch.params - arch.hidden + 4))
        log2_entries = rows + log2_N
        log2_bits = log2_entries + 6
    else:
        log2_entries = log2_ambient + log2_N
        width = 10 + math.log2(max(arch.widths))
        if D is not None:
            per = (sum(r ** k for k in range(L)) * width + D * math.log2(D + 1))
            log2_per = math.log2(per)
        else:                                      # weight_degree ~ D, D log2 D dominates
            log2_per = log2D + math.log2(log2D + width + 2)
        log2_bits = log2_entries + log2_per
    return {"log2_D": log2D, "log2_ambient": log2_ambient, "log2_entries": log2_entries,
            "log2_bits": log2_bits}


def check_cost(arch, r: int, modular: bool = False, allow_large: bool = False) -> dict:
    """Raise InputError when (arch, r) exceeds MAX_ENTRIES or MAX_BITS (unless ``allow_large``)."""
    e = estimate(arch, r, modular)
    if e["log2_D"] > MAX_LOG2_D:
        raise InputError(f"{arch} at r={str(r)[:20]}: the output degree D = r^(L-1) is above "
                         f"2^{MAX_LOG2_D} (limit)")
    if e["log2_ambient"] > MAX_LOG2_AMBIENT:
        raise InputError(f"{arch} at r={r}: the ambient dimension A is above 2^{MAX_LOG2_AMBIENT} (limit)")
    if allow_large:
        return e
    if e["log2_entries"] > math.log2(MAX_ENTRIES):
        raise InputError(f"{arch} at r={r}: the Jacobian would have about "
                         f"{_fmt(e['log2_entries'])} entries (limit {MAX_ENTRIES:.0e} entries; "
                         f"--allow-large lifts it)")
    if not modular and e["log2_bits"] > math.log2(MAX_BITS):
        raise InputError(f"{arch} at r={r}: the exact Jacobian would hold about "
                         f"{_fmt(e['log2_bits'])} bits (limit {MAX_BITS:.0e} bits; "
                         f"--allow-large lifts it)")
    return e


def check_point_cost(arch, r: int, entry_bits: int, field_degree: int = 1,
                     allow_large: bool = False) -> float:
    """Raise InputError when the exact Jacobian at a given point would pass MAX_BITS (unless
    ``allow_large``); returns the estimate's log2. Entries of ``entry_bits`` bits (numerators
    and denominators, the minimal polynomial's coefficients included) raise the bits of each
    of its entries to about weight_degree(r) * (entry_bits + log2 n + 10 + log2 max d_l) +
    D log2(D + 1); over a field of degree n the rank is taken over QQ on a matrix n^2 times
    larger (restriction of scalars: verify.crit_in_sub.common.rank_over_number_field)."""
    e = check_cost(arch, r, allow_large=allow_large)
    n = max(1, int(field_degree))
    L = arch.depth
    w = sum(int(r) ** k for k in range(L))
    D = int(r) ** (L - 1)
    per = (w * (max(0, int(entry_bits)) + math.log2(n) + 10 + math.log2(max(arch.widths)))
           + D * math.log2(D + 1))
    log2_bits = e["log2_entries"] + 2 * math.log2(n) + math.log2(per)
    if not allow_large and log2_bits > math.log2(MAX_BITS):
        raise InputError(f"{arch} at r={r}: the exact Jacobian at this point (entries of {int(entry_bits)} "
                         f"bits{f', field degree {n}' if n > 1 else ''}) would hold about "
                         f"{_fmt(log2_bits)} bits (limit MAX_BITS = {MAX_BITS:.0e}; --allow-large lifts it)")
    return log2_bits


def _fmt(log2x: float) -> str:
    if log2x < 1000:
        return f"{2 ** log2x:.0e}"
    return f"1e+{int(log2x * math.log10(2))}"


def count_degrees(text) -> int:
    """The number of degrees in '2-6' or '2,3,5' (ranges are counted, never built);
    raises InputError on malformed text."""
    total = 0
    bad = InputError(f"degrees must look like 2-6 or 2,3,5, got {str(text)[:60]!r}")
    for part in str(text).split(","):
        part = part.strip()
        try:
            if "-" in part:
                a, b = (int(x) for x in part.split("-"))
            else:
                a = b = int(part)
        except ValueError:
            raise bad
        if a < 1 or b < a:
            raise InputError(f"degree range {part!r} must be a-b with 1 <= a <= b")
        total += b - a + 1
    return total


def check_degree_count(n: int, what: str = "degrees"):
    """Raise InputError when more than MAX_DEGREES degrees are asked for."""
    if n > MAX_DEGREES:
        raise InputError(f"{n} {what} asked for: at most {MAX_DEGREES} in one run")
    return n


def check_number(value, name: str, minimum=None, maximum=None, integer: bool = False,
                 strict_minimum: bool = False):
    """A finite int/float (not bool, not nan/inf) within [minimum, maximum], else InputError."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        kind = "an integer" if integer else "a number"
        raise InputError(f"{name} must be {kind}, got {value!r}"[:200])
    if integer and not isinstance(value, int):
        raise InputError(f"{name} must be an integer, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"{name} must be a finite number, got {value!r}")
    if minimum is not None and (value <= minimum if strict_minimum else value < minimum):
        rel = ">" if strict_minimum else ">="
        raise InputError(f"{name} must be {rel} {minimum}, got {value!r}")
    if maximum is not None and value > maximum:
        raise InputError(f"{name} must be <= {maximum}, got {value!r}")
    return value
