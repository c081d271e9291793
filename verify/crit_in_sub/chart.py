"""Normal forms of weight points under the symmetries: the suite's one description of them,
used by the methods of the converse that search up to symmetry (symbolic, exhaustive).

The symmetries (MATH.md section 2; each preserves rank J and maps Sub onto Sub):
scaling of a hidden neuron (row i of W_l times t, column i of W_{l+1} times t^(-r));
W_1 -> W_1 B (B in GL(d_0)); W_L -> A W_L (A in GL(d_L)).  A scaling gauge
coordinate fixed to 1 has its Jacobian column deleted (the scaling kernel vectors
express it through the others), so the rank on a normal form is the rank of J at the
full weight point.  Two normal forms, one per kind of search:

**Gauge-fixed charts** (:func:`charts`, for the symbolic method over QQ).  Serves
proofs/converse.md, section 1 ("Charts"), Lemma C: the charts cover every point
outside Sub up to the symmetries, and on a chart

    rank J(theta) = rank J(theta) with the H gauge columns deleted,

so a chart's Jacobian has N - H columns.  A chart fixes some coordinates and leaves
the others free (its *variables*):

* GL(d_0): rows 0 and 1 of W_1 are e_1 and e_2 (two rows of a non-subnetwork
  W_1 are never proportional, so they are independent);
* scaling gauge, one coordinate per hidden neuron set to 1 (its column is
  deleted): for the last hidden layer an entry of the neuron's outgoing column
  in W_L (every entry when d_L = 1, so W_L = (1, ..., 1)); for the other
  hidden layers an entry of the incoming row (rows 0, 1 of W_1 use their
  diagonal 1).  Which entry is nonzero varies, so there is one chart per
  choice; when d_0 = 2 the rows >= 2 of W_1 have both entries nonzero outside
  Sub and need no choice.

**Normalised cells over GF(p)** (:func:`chart_cells`, for the exhaustive method).
Serves proofs/exhaustive.md, Lemma N: every GF(p)-point of weight space (Sub included)
is equivalent to a point of one of the affine cells; the normal form is
:data:`NORMALISATION` (longest independent prefix of W_1 -> e_1, ..., e_m, every other
hidden row zero or with leading entry 1, W_L in reduced row echelon form), and each
cell's ``gauge`` lists the dropped columns (the leading 1 of each nonzero hidden row).

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
    sage: from verify.crit_in_sub.chart import chart_cells, chart_size
    sage: chart_size(Architecture.parse("2,2,1"), 5)     # W_1: 10 normalised matrices, W_2: 7 in RREF
    70
    sage: cells = chart_cells(Architecture.parse("2,2,1"))
    sage: len(cells), cells[-1].fixed, cells[-1].gauge      # W_1 = I, W_2 = (0, 1)
    (18, (1, 0, 0, 1, 0, 1), (0, 3))
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from itertools import product

from ..core.architecture import Architecture
from ..core.errors import InputError

__all__ = ["Chart", "charts", "chart_count", "CHART_LIMIT",
           "Cell", "chart_cells", "chart_size", "NORMALISATION"]

#: Refuse to enumerate more charts than this.
CHART_LIMIT = 4096

#: The normal form of the GF(p) chart cells (:func:`chart_cells`), as recorded in results.
NORMALISATION = (
    "W_1 -> W_1 B (B in GL(d_0)) maps the longest linearly independent prefix of rows of "
    "W_1 to e_1, ..., e_m (so row m+1, if any and m < d_0, lies in span(e_1..e_m)); every "
    "other hidden neuron (l, i): scale row i of W_l by t, column i of W_{l+1} by t^(-r) so "
    "that the row is zero or its first nonzero entry is 1; W_L -> A W_L (A in GL(d_L)) puts W_L in reduced "
    "row echelon form.  Applied in layer order, each step only touches matrices normalised "
    "later.  Each is an invertible linear change of theta, defined over GF(p), with "
    "Phi(g theta) = T_g Phi(theta) for an invertible linear T_g, so it preserves rank J; it "
    "preserves zero rows, zero columns and proportional rows, so it maps Sub onto Sub "
    "(proofs/exhaustive.md, Lemma N).  The dropped Jacobian columns are the leading 1 of "
    "each nonzero hidden row: the scaling kernel vectors express them through the others "
    "(Lemma G).")


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
    arch = Architecture.parse(arch)
    _, per = _choices(arch)
    n = 1
    for c in per:
        n *= len(c)
    return n


def charts(arch) -> list[Chart]:
    """Charts covering the complement of Sub up to symmetry (proofs/converse.md, Lemma C)."""
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


# --- the normalised chart over GF(p): cells (proofs/exhaustive.md, Lemma N) ---------------


@dataclass(frozen=True)
class Cell:
    """An affine cell of the chart: ``fixed[c]`` is 0/1 or -1 for a free coordinate c;
    ``gauge`` lists the flat columns (leading 1 of a nonzero hidden row) that are dropped."""

    fixed: tuple[int, ...]
    gauge: tuple[int, ...]

    @property
    def free(self) -> tuple[int, ...]:
        return tuple(c for c, v in enumerate(self.fixed) if v < 0)


def _normalised_rows(n: int, support: int | None = None):
    """Row cells of a vector of length n that is zero or has leading entry 1.

    Yields (values, leading) with values 0/1/-1 (free) and leading the index of
    the leading 1 (None for the zero row).  ``support`` restricts the nonzero
    entries to the first ``support`` coordinates.
    """
    s = n if support is None else support
    yield (0,) * n, None
    for j in range(s):
        yield (0,) * j + (1,) + (-1,) * (s - j - 1) + (0,) * (n - s), j


def _first_layer_cells(d1: int, d0: int):
    """Cells of W_1: rows 1..m = e_1..e_m (longest independent prefix), row m+1 in their
    span when m < d_0, later rows normalised.  Yields (rows, leading positions)."""
    for m in range(min(d0, d1) + 1):
        head = [tuple(1 if j == i else 0 for j in range(d0)) for i in range(m)]
        if m == d1:
            yield head, list(range(m))
            continue
        nxt = _normalised_rows(d0, None if m == d0 else m)
        rest = [list(_normalised_rows(d0)) for _ in range(d1 - m - 1)]
        for first in nxt:
            for tail in itertools.product(*rest):
                rows = head + [first[0]] + [t[0] for t in tail]
                leads = list(range(m)) + [first[1]] + [t[1] for t in tail]
                yield rows, leads


def _rref_cells(rows: int, cols: int):
    """Cells of the reduced row echelon forms of rows x cols matrices (zero rows last)."""
    for k in range(min(rows, cols) + 1):
        for pivots in itertools.combinations(range(cols), k):
            M = []
            for s, c in enumerate(pivots):
                row = []
                for j in range(cols):
                    if j == c:
                        row.append(1)
                    elif j < c or j in pivots:
                        row.append(0)
                    else:
                        row.append(-1)
                M.append(tuple(row))
            M += [(0,) * cols] * (rows - k)
            yield M


def chart_cells(arch, normalise: bool = True) -> list[Cell]:
    """The cells of the normalised chart (every GF(p)-point of theta is equivalent to a
    point of one of them).  ``normalise=False``: the single cell of all of GF(p)^N."""
    arch = Architecture.parse(arch)
    N, L = arch.params, arch.depth
    if not normalise:
        return [Cell((-1,) * N, ())]
    layer_options = []           # per layer: list of (flat values, gauge columns)
    for l, (rows, cols) in enumerate(arch.layer_shapes, start=1):
        off = arch.offset(l)
        opts = []
        if l == L:
            for M in _rref_cells(rows, cols):
                opts.append((tuple(v for row in M for v in row), ()))
        else:
            if l == 1:
                row_cells = _first_layer_cells(rows, cols)
            else:
                row_cells = ((tuple(t[0] for t in combo), [t[1] for t in combo]) for combo in
                             itertools.product(*[list(_normalised_rows(cols))] * rows))
            for M, leads in row_cells:
                gauge = tuple(off + i * cols + j for i, j in enumerate(leads) if j is not None)
                opts.append((tuple(v for row in M for v in row), gauge))
        layer_options.append(opts)
    cells = []
    for combo in itertools.product(*layer_options):
        fixed = tuple(v for vals, _ in combo for v in vals)
        gauge = tuple(c for _, g in combo for c in g)
        cells.append(Cell(fixed, gauge))
    return cells


def chart_size(arch, p: int, normalise: bool = True) -> int:
    """Number of GF(p)-points of the chart: sum over cells of p^(free coordinates)."""
    return sum(p ** len(c.free) for c in chart_cells(arch, normalise))
