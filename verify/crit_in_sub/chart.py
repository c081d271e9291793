"""Gauge-fixed charts on the weight space that cover the complement of Sub.

Serves proofs/converse.md, section 1 ("Charts"), Lemma C: the charts returned by
:func:`charts` cover every point outside Sub up to the symmetries (scaling of
hidden neurons, W_1 -> W_1 B with B in GL(d_0)), and on a chart

    rank J(theta) = rank J(theta) with the H gauge columns deleted,

so a chart's Jacobian has N - H columns and its rank is the rank of J at
the full weight point.  A chart fixes some coordinates and leaves the others
free (its *variables*):

* GL(d_0): rows 0 and 1 of W_1 are e_1 and e_2 (two rows of a non-subnetwork
  W_1 are never proportional, so they are independent);
* scaling gauge, one coordinate per hidden neuron set to 1 (its column is
  deleted): for the last hidden layer an entry of the neuron's outgoing column
  in W_L (every entry when d_L = 1, so W_L = (1, ..., 1)); for the other
  hidden layers an entry of the incoming row (rows 0, 1 of W_1 use their
  diagonal 1).  Which entry is nonzero varies, so there is one chart per
  choice; when d_0 = 2 the rows >= 2 of W_1 have both entries nonzero outside
  Sub and need no choice.

EXAMPLES::

    sage: from verify.core.architecture import Architecture
    sage: from verify.crit_in_sub.chart import charts
    sage: cs = charts(Architecture.parse("2,3,1"))
    sage: len(cs), cs[0].variable_names(), len(cs[0].kept_columns)
    (1, ['w1_2_0', 'w1_2_1'], 6)
    sage: cs[0].weights([5, 7])
    [[[1, 0], [0, 1], [5, 7]], [[1, 1, 1]]]
    sage: len(charts(Architecture.parse("2,2,2,1"))), len(charts(Architecture.parse("2,2,2")))
    (1, 4)
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from ..core.errors import InputError

__all__ = ["Chart", "charts", "chart_count", "CHART_LIMIT"]

#: Refuse to enumerate more charts than this.
CHART_LIMIT = 4096


@dataclass(frozen=True)
class Chart:
    """Fixed coordinates (flat index -> value), gauge coordinates, and free variables."""

    arch: object
    fixed: tuple            # ((flat index, value), ...), sorted by index
    gauge: tuple            # flat indices fixed to 1 by the scaling gauge (columns deleted)
    free: tuple             # flat indices of the chart's variables, increasing
    label: str

    @property
    def kept_columns(self) -> list[int]:
        """Column indices of J kept on the chart (all but the gauge ones): N - H of them."""
        g = set(self.gauge)
        return [c for c in range(self.arch.params) if c not in g]

    def variable_names(self) -> list[str]:
        """``w{l}_{i}_{j}`` for each free coordinate W_l[i, j]."""
        return [_coordinate_name(self.arch, c) for c in self.free]

    def weights(self, values, ring=None):
        """The full weight point (nested lists, W_1 first) with the free coordinates = values."""
        from ..core.weights import unflatten
        values = list(values)
        if len(values) != len(self.free):
            raise InputError(f"chart {self.label} has {len(self.free)} variables, got {len(values)} values")
        one = (lambda v: ring(v)) if ring is not None else (lambda v: v)
        flat = [None] * self.arch.params
        for c, v in self.fixed:
            flat[c] = one(v)
        for c, v in zip(self.free, values):
            flat[c] = one(v)
        return unflatten(self.arch, flat)

    def polynomial_ring(self, base=None):
        """Polynomial ring over ``base`` (default QQ) in the chart's variables."""
        from sage.all import QQ, PolynomialRing
        base = QQ if base is None else base
        names = self.variable_names() or ["unused"]
        return PolynomialRing(base, names, order="degrevlex")

    def generic_weights(self, R):
        """The chart's weight point over ``R = self.polynomial_ring()`` (free = generators)."""
        gens = list(R.gens())[: len(self.free)] if self.free else []
        return self.weights(gens, R)

    def jacobian(self, r: int, weights, ring):
        """J at a point of the chart with the gauge columns deleted (N - H columns), over ``ring``.

        Rows are the evaluation rows of :func:`verify.core.jacobian.jacobian_at` (same rank as J,
        and the same ideal of g x g minors, proofs/README.md Lemma E).
        """
        from ..core.jacobian import jacobian_at
        J = jacobian_at(self.arch, r, weights, ring)
        return J.matrix_from_columns(self.kept_columns)


def _coordinate_name(arch, c: int) -> str:
    for l, (rows, cols) in enumerate(arch.layer_shapes, start=1):
        off = arch.offset(l)
        if off <= c < off + rows * cols:
            i, j = divmod(c - off, cols)
            return f"w{l}_{i}_{j}"
    raise IndexError(c)


def _choices(arch):
    """Per hidden neuron: the list of candidate gauge coordinates, and the GL-fixed values."""
    d, L = arch.widths, arch.depth
    fixed = {}
    for i in range(min(2, d[1])):                     # rows 0, 1 of W_1 -> e_1, e_2
        for j in range(d[0]):
            fixed[arch.weight_index(1, i, j)] = 1 if i == j else 0
    per_neuron = []
    for l in range(1, L):
        for i in range(d[l]):
            if l == L - 1:                            # outgoing column of W_L
                cand = [arch.weight_index(L, k, i) for k in range(d[L])]
            elif l == 1 and i < 2:
                cand = [arch.weight_index(1, i, i)]
            elif l == 1 and d[0] == 2:
                cand = [arch.weight_index(1, i, 0)]   # (0, b) would be proportional to e_2
            else:
                cand = [arch.weight_index(l, i, j) for j in range(d[l - 1])]
            per_neuron.append(cand)
    return fixed, per_neuron


def chart_count(arch) -> int:
    """Number of charts :func:`charts` returns (without building them)."""
    from ..core.architecture import Architecture
    arch = Architecture.parse(arch)
    _, per = _choices(arch)
    n = 1
    for c in per:
        n *= len(c)
    return n


def charts(arch) -> list[Chart]:
    """Charts covering the complement of Sub up to symmetry (proofs/converse.md, Lemma C)."""
    from ..core.architecture import Architecture
    arch = Architecture.parse(arch)
    if arch.widths[0] < 2:
        raise InputError(f"charts need d_0 >= 2, got {arch}")
    n = chart_count(arch)
    if n > CHART_LIMIT:
        raise InputError(f"{arch} needs {n} charts (limit {CHART_LIMIT})")
    fixed, per = _choices(arch)
    out = []
    for pick in product(*per):
        fx = dict(fixed)
        for c in pick:
            fx[c] = 1
        free = tuple(c for c in range(arch.params) if c not in fx)
        label = ",".join(_coordinate_name(arch, c) for c in pick)
        out.append(Chart(arch, tuple(sorted(fx.items())), tuple(pick), free, label))
    return out
