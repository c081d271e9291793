"""Normal forms of weight points under the symmetries: the suite's one description of them,
used by the methods of the converse that search up to symmetry (symbolic, exhaustive).

The symmetries (MATH.md section 2; each preserves rank J and maps Sub onto Sub):
scaling of a hidden neuron (row i of W_l times t, column i of W_{l+1} times t^(-r));
W_1 -> W_1 B (B in GL(d_0)); W_L -> A W_L (A in GL(d_L)).  A scaling gauge
coordinate fixed to 1 has its Jacobian column deleted (the scaling kernel vectors
express it through the others), so the rank on a normal form is the rank of J at the
full weight point.  Two normal forms, one per kind of search:

**Stratified charts** (:func:`charts`, for the symbolic method and the pre-pass).
Serves proofs/converse.md, section 1, Lemmas I, P and C: one family of charts per rank
stratum (m, k) = (rank W_1, rank W_L), together covering every point outside Sub up to
the symmetries; on a chart rank J(theta) = rank of J(theta) with the gauge columns
deleted.  W_1's rows 0..m-1 are e_1..e_m and the others lie in span(e_1..e_m) with one
entry 1; W_L's columns T are e_1..e_k and the others lie in span(e_1..e_k) (with one
entry 1); for L = 2 rows and columns are normalised independently (Lemma P); for
L >= 3 each neuron of layers 2..L-1 keeps one gauge entry 1.  A rank-deficient layer is
thus a stratum with a chart of its own (three rows spanning a 2-plane become e_1, e_2,
(1, b, 0, ...)), not a thin subset that random slices miss.

**Normalised cells over GF(p)** (:func:`chart_cells`, for the exhaustive method).
Serves proofs/exhaustive.md, Lemma N: every GF(p)-point of weight space (Sub included)
is equivalent to a point of one of the affine cells; the normal form is
:data:`NORMALISATION` (longest independent prefix of W_1 -> e_1, ..., e_m, every other
hidden row zero or with leading entry 1, W_L in reduced row echelon form), and each
cell's ``gauge`` lists the dropped columns (the leading 1 of each nonzero hidden row).

EXAMPLES::

    sage: from verify.core.architecture import Architecture
    sage: from verify.crit_in_sub.chart import charts, chart_dimensions
    sage: cs = charts(Architecture.parse("4,3,1"))        # rank 3, and rows e_1, e_2, (1, b, 0, 0)
    sage: [(c.stratum["rank_W1"], c.codimension, c.variable_names()) for c in cs]
    [(3, 0, []), (2, 2, ['w1_2_1'])]
    sage: cs[1].weights([5])
    [[[1, 0, 0, 0], [0, 1, 0, 0], [1, 5, 0, 0]], [[1, 1, 1]]]
    sage: chart_dimensions("4,3,1")["before"], chart_dimensions("4,3,1")["after"]
    (4, 1)
    sage: from verify.crit_in_sub.chart import chart_cells, chart_size
    sage: chart_size(Architecture.parse("2,2,1"), 5)     # W_1: 10 normalised matrices, W_2: 7 in RREF
    70
    sage: cells = chart_cells(Architecture.parse("2,2,1"))
    sage: len(cells), cells[-1].fixed, cells[-1].gauge      # W_1 = I, W_2 = (0, 1)
    (18, (1, 0, 0, 1, 0, 1), (0, 3))
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from itertools import product

from ..core.architecture import Architecture
from ..core.errors import InputError

__all__ = ["Chart", "charts", "chart_count", "chart_dimensions", "coordinate_name", "CHART_LIMIT",
           "stratified_cells", "power_class_representatives",
           "Cell", "chart_cells", "chart_size", "NORMALISATION"]

#: Refuse to enumerate more charts than this.
CHART_LIMIT = 4096


@dataclass(frozen=True)
class Chart:
    """A chart: fixed coordinates (flat index -> value), deleted gauge columns, free variables."""

    arch: object
    fixed: tuple            # ((flat index, value), ...), sorted by index
    gauge: tuple            # flat indices whose Jacobian columns are deleted (Lemma G)
    free: tuple             # flat indices of the chart's variables, increasing
    label: str
    stratum: dict = field(default_factory=dict, compare=False, hash=False)
    codimension: int = 0    # codimension of the stratum in weight space

    @property
    def kept_columns(self) -> list[int]:
        """Column indices of J kept on the chart (all but the gauge ones)."""
        g = set(self.gauge)
        return [c for c in range(self.arch.params) if c not in g]

    def variable_names(self) -> list[str]:
        """``w{l}_{i}_{j}`` for each free coordinate W_l[i, j]."""
        return [coordinate_name(self.arch, c) for c in self.free]

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
        # y0, y1, ... stand for variable_names() (Singular misreads names such as w1_2_1);
        # the ring is multivariate even for one variable (saturation needs it)
        names = [f"y{i}" for i in range(max(1, len(self.free)))]
        return PolynomialRing(base, len(names), names, order="degrevlex")

    def generic_weights(self, R):
        """The chart's weight point over ``R = self.polynomial_ring()`` (free = generators)."""
        gens = list(R.gens())[: len(self.free)] if self.free else []
        return self.weights(gens, R)

    def jacobian(self, r: int, weights, ring, coefficients: bool = False):
        """J at a point of the chart with the gauge columns deleted, over ``ring``: evaluation
        rows of :func:`verify.core.jacobian.jacobian_at` (same rank as J), or with
        ``coefficients`` the coefficient rows (the same ideal of g x g minors, Lemma E, with
        much smaller integers: what the symbolic method uses)."""
        from ..core.jacobian import coefficient_jacobian, jacobian_at
        J = (coefficient_jacobian if coefficients else jacobian_at)(self.arch, r, weights, ring)
        return J.matrix_from_columns(self.kept_columns)


def coordinate_name(arch, c: int) -> str:
    """``w{l}_{i}_{j}`` for the flat index c of W_l[i, j]."""
    for l, (rows, cols) in enumerate(arch.layer_shapes, start=1):
        off = arch.offset(l)
        if off <= c < off + rows * cols:
            i, j = divmod(c - off, cols)
            return f"w{l}_{i}_{j}"
    raise IndexError(c)


def _last_layer_bases(d, L, m, k):
    """The column sets T (bases of W_L's column space) to consider, up to the permutations
    left over: for L >= 3 the first k neurons; for L = 2, |T meet S| = a for each feasible a."""
    n = d[L - 1]
    if L >= 3:
        return [tuple(range(k))]
    out = []
    for a in range(max(0, k - (n - m)), min(k, m) + 1):
        out.append(tuple(range(a)) + tuple(range(m, m + k - a)))
    return out


def _stratum_pieces(arch, m, k, T):
    """Fixed values and, per neuron to normalise, the candidate (coordinate, gauge?) choices."""
    d, L = arch.widths, arch.depth
    wi = arch.weight_index
    fixed, choices, gauge = {}, [], []
    # W_1: rows 0..m-1 = e_1..e_m, other rows in span(e_1..e_m) with one entry 1.
    for i in range(d[1]):
        for j in range(m, d[0]):
            fixed[wi(1, i, j)] = 0
        if i < m:
            for j in range(m):
                fixed[wi(1, i, j)] = 1 if i == j else 0
            gauge.append(wi(1, i, i))
        else:
            # a row with one nonzero entry is proportional to some e_j (in Sub), so
            # its first nonzero entry is among the first m - 1
            choices.append([(wi(1, i, j), True) for j in range(max(1, m - 1))])
    # W_L: columns T = e_1..e_k, all columns in span(e_1..e_k); others one entry 1.
    for i in range(d[L - 1]):
        for q in range(k, d[L]):
            fixed[wi(L, q, i)] = 0
        if i in T:
            t = T.index(i)
            for q in range(k):
                fixed[wi(L, q, i)] = 1 if q == t else 0
        elif L == 2:
            choices.append([(wi(L, q, i), False) for q in range(k)])
        else:
            choices.append([(wi(L, q, i), True) for q in range(k)])
    # Middle layers (L >= 3): incoming rows of layers 2..L-1; the last hidden layer's
    # neurons outside T already carry their gauge in W_L.
    for l in range(2, L):
        for i in range(d[l]):
            if l == L - 1 and i not in T:
                continue
            choices.append([(wi(l, i, j), True) for j in range(d[l - 1])])
    return fixed, choices, gauge


def _codimension(arch, m, k) -> int:
    d, L = arch.widths, arch.depth
    return (d[1] - m) * (d[0] - m) + (d[L] - k) * (d[L - 1] - k)


def _enumerate(arch):
    d, L = arch.widths, arch.depth
    for m in range(min(d[0], d[1]), min(2, d[1]) - 1, -1):
        for k in range(min(d[L], d[L - 1]), 0, -1):
            for T in _last_layer_bases(d, L, m, k):
                fixed, choices, gauge = _stratum_pieces(arch, m, k, T)
                yield m, k, T, fixed, choices, gauge


def chart_count(arch) -> int:
    """Number of charts before removing duplicates (without building them)."""
    arch = Architecture.parse(arch)
    n = 0
    for *_, choices, _ in _enumerate(arch):
        c = 1
        for ch in choices:
            c *= len(ch)
        n += c
    return n


def charts(arch) -> list[Chart]:
    """The charts of every rank stratum (proofs/converse.md, Lemma C), duplicates removed,
    generic strata (highest ranks) first."""
    arch = Architecture.parse(arch)
    if arch.widths[0] < 2:
        raise InputError(f"charts need d_0 >= 2, got {arch}")
    n = chart_count(arch)
    if n > CHART_LIMIT:
        raise InputError(f"{arch} needs {n} charts (limit {CHART_LIMIT})")
    out, seen = [], set()
    for m, k, T, fixed, choices, gauge in _enumerate(arch):
        for pick in product(*choices):
            fx = dict(fixed)
            for c, _ in pick:
                fx[c] = 1
            g = tuple(sorted(set(gauge) | {c for c, is_gauge in pick if is_gauge}))
            for extra in _column_class_extensions(arch, m, k, fx):
                fxe = {**fx, **extra}
                free = tuple(c for c in range(arch.params) if c not in fxe)
                key = (tuple(sorted(fxe.items())), g)
                if key[0] in seen:           # the same chart with another (equally valid) gauge
                    continue
                seen.add(key[0])
                ones = [c for c, _ in pick] + [c for c, v in extra.items() if v == 1]
                label = f"rank W_1 = {m}, rank W_L = {k}" + (
                    ": " + ",".join(coordinate_name(arch, c) + "=1" for c in ones) if ones else "")
                out.append(Chart(arch, key[0], g, free, label, {"rank_W1": m, "rank_WL": k},
                                 _codimension(arch, m, k)))
    return out


def _column_class_extensions(arch, m, k, fx):
    """L = 3: further entries of W_2 fixed by the torus left over (proofs/converse.md,
    Lemma C3), as dicts {flat index: 1 or 0}.  Column class of a layer-1 neuron j: j if j < m,
    else p_j (its row of W_1 is normalised at entry p_j); row class of a layer-2 neuron i: i if
    i < k, else q_i (its column of W_3 is normalised at entry q_i).  Entry (i, j) of W_2 is
    scaled by u_(row class) t_(column class)^(-r), so entries set to 1 must form a forest on
    the classes; the entries already 1 give one edge per row class.  For each column class b in
    turn, the candidates are the unfixed entries of its columns whose row class lies in
    another component: the first nonzero one (in a fixed order) is set to 1 and the ones before
    it are 0; if all are zero, all are fixed to 0 (a greedy choice every point makes)."""
    if arch.depth != 3:
        yield {}
        return
    d = arch.widths
    wi = arch.weight_index

    def one(c):
        return fx.get(c) == 1

    colclass = {j: j if j < m else next(p for p in range(m) if one(wi(1, j, p))) for j in range(d[1])}
    rowclass = {i: i if i < k else next(q for q in range(k) if one(wi(3, q, i))) for i in range(d[2])}

    def find(parent, v):
        while parent.get(v, v) != v:
            v = parent[v]
        return v

    start = {}
    for i in range(k):
        j = next(j for j in range(d[1]) if one(wi(2, i, j)))
        start[find(start, ("C", colclass[j]))] = find(start, ("R", i))

    def grow(b, fixed, parent):
        if b == m:
            yield dict(fixed)
            return
        cb = find(parent, ("C", b))
        cands = [(wi(2, i, j), i) for i in range(d[2]) for j in range(d[1])
                 if colclass[j] == b and wi(2, i, j) not in fx
                 and find(parent, ("R", rowclass[i])) != cb]
        for t, (c, i) in enumerate(cands):
            joined = dict(parent)
            joined[cb] = find(parent, ("R", rowclass[i]))
            yield from grow(b + 1, {**fixed, **{e: 0 for e, _ in cands[:t]}, c: 1}, joined)
        yield from grow(b + 1, {**fixed, **{e: 0 for e, _ in cands}}, parent)

    yield from grow(0, {}, start)


def chart_dimensions(arch) -> dict:
    """Chart dimensions before/after the reduction: ``before`` = variables of the gauge-only
    charts of the first release, ``after`` = the largest stratified chart, and per stratum
    (m, k) its codimension, chart count and largest chart dimension."""
    arch = Architecture.parse(arch)
    per = {}
    for c in charts(arch):
        key = f"m={c.stratum['rank_W1']},k={c.stratum['rank_WL']}"
        e = per.setdefault(key, {"codimension": c.codimension, "charts": 0, "max_variables": 0})
        e["charts"] += 1
        e["max_variables"] = max(e["max_variables"], len(c.free))
    return {"params": arch.params, "before": gauge_chart_variables(arch), "strata": per,
            "after": max(v["max_variables"] for v in per.values())}


def gauge_chart_variables(arch) -> int:
    """Variables of the gauge-only charts of the first release (rows 0, 1 of W_1 = e_1, e_2,
    one gauge coordinate per hidden neuron), for the before/after table of the benchmark."""
    arch = Architecture.parse(arch)
    d, L = arch.widths, arch.depth
    two = min(2, d[1])
    return arch.params - two * d[0] - arch.hidden + (two if L >= 3 else 0)



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


def power_class_representatives(p: int, r: int) -> list[int]:
    """Representatives of GF(p)^* modulo r-th powers: g^0, .., g^(m-1), m = gcd(r, p - 1),
    g a primitive root (m = 1, i.e. [1], when every element is an r-th power)."""
    from math import gcd
    from sage.all import primitive_root
    m = gcd(int(r), int(p) - 1)
    g = int(primitive_root(int(p)))
    return [pow(g, e, int(p)) for e in range(m)]


def stratified_cells(arch, r: int, p: int) -> list[Cell]:
    """The stratified charts of :func:`charts` as affine cells over GF(p) (proofs/exhaustive.md,
    Lemma N'): over GF(p) an entry brought to 1 by a scaling t^(-r) reaches 1 only up to r-th
    powers, so each such entry takes every value of :func:`power_class_representatives`: for
    L >= 3 the gauge entry of each last-layer column outside T (Lemma C, step (c)), and for
    L = 3 each entry of W_2 set to 1 by the torus of Lemma C3 (the entries of W_2 that are 1 and
    not a gauge coordinate; the gauge entries W_2[a, c_a] = 1 are reached by a linear scaling)."""
    arch = Architecture.parse(arch)
    L = arch.depth
    reps = power_class_representatives(p, r) if L >= 3 else [1]
    w_l_start = arch.offset(L)
    w_2 = range(arch.offset(2), arch.offset(3)) if L == 3 else range(0)
    out = []
    for chart in charts(arch):
        fixed = dict(chart.fixed)
        free = set(chart.free)
        gauge = set(chart.gauge)
        scaled = [c for c, v in chart.fixed if v == 1 and (
            (c >= w_l_start and c in gauge) or (c in w_2 and c not in gauge))]
        for values in itertools.product(reps, repeat=len(scaled)):
            fx = dict(fixed)
            fx.update(zip(scaled, values))
            out.append(Cell(tuple(-1 if c in free else int(fx[c]) for c in range(arch.params)),
                            chart.gauge))
    return out


def chart_size(arch, p: int, normalise: bool = True) -> int:
    """Number of GF(p)-points of the chart: sum over cells of p^(free coordinates)."""
    return sum(p ** len(c.free) for c in chart_cells(arch, normalise))
