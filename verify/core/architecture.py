"""Architectures of deep monomial networks and their counts.

Serves proofs/README.md, section "Setting and counts": the widths
d = (d_0, ..., d_L), the number of weights N, of hidden neurons H, the output
degree D = r^(L-1), the ambient dimension A and the expected dimension
min(N - H, A) (MATH.md sections 1-2).

EXAMPLES::

    sage: from verify.core.architecture import Architecture
    sage: a = Architecture.parse("2,3,2,1")
    sage: a.params, a.hidden, a.params - a.hidden
    (14, 5, 9)
    sage: a.output_degree(4), a.ambient(4), a.expected_dimension(4)
    (16, 17, 9)
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from math import comb

from .errors import InputError

__all__ = ["Architecture", "check_degree", "parse_degrees"]


def check_degree(r) -> int:
    """Return ``r`` as an int, or raise InputError unless it is an integer >= 1."""
    try:
        r = operator.index(r)
    except TypeError:
        raise InputError(f"activation degree must be an integer >= 1, got {r!r}")
    if r < 1:
        raise InputError(f"activation degree must be an integer >= 1, got {r}")
    return r


def parse_degrees(text) -> list[int]:
    """'2-6' or '2,3,5' -> list of degrees."""
    out = []
    try:
        for part in str(text).split(","):
            if "-" in part:
                a, b = part.split("-")
                out += list(range(int(a), int(b) + 1))
            else:
                out.append(int(part))
    except ValueError:
        raise InputError(f"degrees must look like 2-6 or 2,3,5, got {text!r}")
    return [check_degree(r) for r in out]


def _parse_widths(text: str) -> tuple[int, ...]:
    """'2,3,2,1' (spaces and brackets allowed: '(2, 3, 2, 1)') -> (2, 3, 2, 1)."""
    if len(text) > 1000:
        raise InputError(f"architecture text too long ({len(text)} characters, limit 1000)")
    parts = text.replace(" ", "").strip("()[]").split(",")
    try:
        return tuple(int(p) for p in parts)
    except ValueError:
        raise InputError(f"architecture must be comma-separated integers like 2,3,2,1, got {text[:60]!r}")


@dataclass(frozen=True)
class Architecture:
    """Widths (d_0, ..., d_L) of a bias-free fully connected network, L >= 2.

    ``Architecture("2,3,2,1")``, ``Architecture((2, 3, 2, 1))`` and
    ``Architecture.parse(...)`` (which also passes an Architecture through) are the same.
    """

    widths: tuple[int, ...]

    def __post_init__(self):
        widths = self.widths
        if isinstance(widths, Architecture):           # Architecture(Architecture(...))
            widths = widths.widths
        elif isinstance(widths, str):                  # Architecture("2,3,2,1")
            widths = _parse_widths(widths)
        elif not isinstance(widths, (tuple, list)):
            raise InputError(f"architecture must be widths like 2,3,2,1 or (2, 3, 2, 1), got {widths!r}")
        object.__setattr__(self, "widths", widths)
        try:
            w = tuple(operator.index(d) for d in self.widths)
        except TypeError:
            raise InputError(f"every width must be an integer >= 1, got {self.widths!r}")
        if len(w) < 3:
            raise InputError(f"need L >= 2 weight layers, i.e. at least 3 widths, got {len(w)}")
        for d in w:
            if d < 1:
                raise InputError(f"every width must be an integer >= 1, got {d}")
        object.__setattr__(self, "widths", w)

    @classmethod
    def parse(cls, text) -> "Architecture":
        """Parse ``"2,3,2,1"`` (also accepts a tuple or an Architecture)."""
        if isinstance(text, Architecture):
            return text
        if isinstance(text, (tuple, list)):
            return cls(tuple(text))
        return cls(_parse_widths(str(text)))

    def __str__(self):
        return ",".join(map(str, self.widths))

    # --- counts (MATH.md section 1) ---------------------------------------
    @property
    def depth(self) -> int:
        """L, the number of weight layers."""
        return len(self.widths) - 1

    @functools.cached_property
    def _shapes(self) -> tuple[tuple[int, int], ...]:
        d = self.widths
        return tuple((d[l], d[l - 1]) for l in range(1, len(d)))

    @functools.cached_property
    def _offsets(self) -> tuple[int, ...]:
        out = [0]
        for a, b in self._shapes:
            out.append(out[-1] + a * b)
        return tuple(out)

    @property
    def layer_shapes(self) -> list[tuple[int, int]]:
        """Shapes (d_l, d_{l-1}) of W_1, ..., W_L."""
        return list(self._shapes)

    @property
    def params(self) -> int:
        """N, the number of weights."""
        return sum(a * b for a, b in self.layer_shapes)

    @property
    def hidden(self) -> int:
        """H, the number of hidden neurons."""
        return sum(self.widths[1:-1])

    @property
    def hidden_layers(self) -> range:
        """Indices 1..L-1 of the hidden layers."""
        return range(1, self.depth)

    def output_degree(self, r: int) -> int:
        """D = r^(L-1), the degree of every output form."""
        return check_degree(r) ** (self.depth - 1)

    def monomials(self, r: int) -> int:
        """binom(d_0 - 1 + D, D), the number of monomials of degree D in d_0 variables."""
        D = self.output_degree(r)
        return comb(self.widths[0] - 1 + D, D)

    def ambient(self, r: int) -> int:
        """A = d_L * binom(d_0 - 1 + D, D)."""
        return self.widths[-1] * self.monomials(r)

    def expected_dimension(self, r: int) -> int:
        """min(N - H, A): an upper bound for the generic rank for every r."""
        return min(self.params - self.hidden, self.ambient(r))

    def weight_degree(self, r: int) -> int:
        """1 + r + ... + r^(L-1): total degree of an output coefficient in theta."""
        r = check_degree(r)
        return sum(r ** k for k in range(self.depth))

    def offset(self, layer: int) -> int:
        """Index of the first coordinate of W_layer in the flat weight vector."""
        k = layer - 1
        if 0 <= k <= len(self._shapes):
            return self._offsets[k]
        return sum(a * b for a, b in self._shapes[:k])

    def weight_index(self, layer: int, i: int, j: int) -> int:
        """Flat index of W_layer[i, j] (row-major, W_1 first)."""
        rows, cols = self._shapes[layer - 1]
        return self.offset(layer) + i * cols + j

    # --- flags (MATH.md section 3) -----------------------------------------
    def degeneracy(self, r: int | None = None) -> list[str]:
        """Reasons this (architecture, degree) lies outside the theorem; empty if none."""
        d = self.widths
        why = []
        if d[0] == 1:
            why.append("d_0 = 1: every point is a subnetwork")
        for l in range(1, len(d) - 2):
            if d[l] == 1 and d[l + 1] > 1:
                why.append(f"width-one hidden layer {l} followed by a wider layer")
        if r is not None and check_degree(r) == 1:
            why.append("r = 1: linear network")
        return why

    def in_theorem_scope(self) -> bool:
        """True when d_0, ..., d_{L-1} >= 2 (the theorem's hypothesis, MATH.md section 4)."""
        return all(w >= 2 for w in self.widths[:-1])
