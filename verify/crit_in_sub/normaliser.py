"""The cover of Lemma N' as code: a GF(p)-point outside Sub, its cell, and the symmetry.

Serves proofs/exhaustive.md, Lemma N' (and proofs/converse.md, Lemmas C and C3, whose proof
it follows step by step).  :func:`normal_form` takes a point theta over GF(p) outside Sub and
returns the point of :func:`verify.crit_in_sub.chart.stratified_cells` it is carried to,
that cell, and the symmetry as a list of elementary operations (permutations of a hidden
layer, W_1 -> W_1 B, W_L -> A W_L, scalings of a hidden neuron, and for L = 2 the rescalings of
Lemma P), each defined over GF(p).  :func:`apply_operations` applies such a list on its own,
so a test can check the claim "this symmetry moves theta to that point of that cell" without
trusting the normaliser.  Over GF(p) a scaling t reaches a column entry through t^(-r), i.e.
only up to r-th powers: those entries land on a representative of their class in
GF(p)^* / (GF(p)^*)^r (:func:`verify.crit_in_sub.chart.power_class_representatives`).

EXAMPLES::

    sage: from verify.crit_in_sub.normaliser import normal_form, apply_operations
    sage: theta = [[[1, 0], [0, 1], [1, 1]], [[1, 3, 9], [1, 3, 10]], [[1, 1]]]
    sage: nf = normal_form("2,3,2,1", 4, 17, theta)     # the point of issue 21, missed before
    sage: nf["point"] == apply_operations("2,3,2,1", 4, 17, theta, nf["operations"])
    True
    sage: nf["cell"].fixed[nf["arch"].weight_index(2, 0, 1)]    # 3 is not a 4th power mod 17
    3
"""

from __future__ import annotations

from ..core.architecture import Architecture, check_degree
from ..core.errors import InputError
from .chart import power_class_representatives, stratified_cells

__all__ = ["normal_form", "apply_operations", "cell_containing"]


# --- small linear algebra mod p (matrices as lists of lists of ints in [0, p)) -----------


def _independent_prefix(vectors, p):
    """Indices of the greedy basis: each vector not in the span of the ones chosen before."""
    basis, chosen = [], []          # basis: reduced rows with their pivot
    for idx, v in enumerate(vectors):
        w = [x % p for x in v]
        for piv, b in basis:
            if w[piv]:
                c = w[piv]
                w = [(x - c * y) % p for x, y in zip(w, b)]
        piv = next((j for j, x in enumerate(w) if x), None)
        if piv is not None:
            inv = pow(w[piv], -1, p)
            basis.append((piv, [x * inv % p for x in w]))
            chosen.append(idx)
    return chosen


def _inverse(M, p):
    """Inverse of a square matrix over GF(p) (Gauss-Jordan); M must be invertible."""
    n = len(M)
    A = [[x % p for x in row] + [int(i == j) for j in range(n)] for i, row in enumerate(M)]
    for c in range(n):
        piv = next(i for i in range(c, n) if A[i][c])
        A[c], A[piv] = A[piv], A[c]
        inv = pow(A[c][c], -1, p)
        A[c] = [x * inv % p for x in A[c]]
        for i in range(n):
            if i != c and A[i][c]:
                f = A[i][c]
                A[i] = [(x - f * y) % p for x, y in zip(A[i], A[c])]
    return [row[n:] for row in A]


def _completed(rows, n, p):
    """The given independent rows followed by standard vectors: an invertible n x n matrix."""
    extra = [[int(i == j) for j in range(n)] for i in range(n)]
    keep = _independent_prefix(list(rows) + extra, p)
    return [(list(rows) + extra)[i] for i in keep]


def _matmul(A, B, p):
    return [[sum(a * b for a, b in zip(row, col)) % p for col in zip(*B)] for row in A]


def _transpose(M):
    return [list(c) for c in zip(*M)]


# --- the elementary operations ---------------------------------------------------------


def apply_operations(arch, r: int, p: int, theta, operations):
    """Apply elementary operations to theta (nested lists, W_1 first) over GF(p):
    ``("permute", l, perm)`` neuron perm[i] of hidden layer l becomes neuron i (rows of W_l,
    columns of W_{l+1}); ``("right", B)`` W_1 -> W_1 B; ``("left", A)`` W_L -> A W_L;
    ``("scale", l, i, t)`` row i of W_l times t, column i of W_{l+1} times t^(-r);
    ``("row", l, i, c)`` / ``("column", l, i, c)`` (L = 2 only, Lemma P) row i of W_l / column i
    of W_l times c.  Every one preserves rank J over GF(p) and membership in Sub
    (Lemmas I and P)."""
    arch = Architecture.parse(arch)
    r, p = check_degree(r), int(p)
    W = [[[x % p for x in row] for row in M] for M in theta]
    L = arch.depth
    for op in operations:
        kind = op[0]
        if kind == "permute":
            _, l, perm = op
            W[l - 1] = [W[l - 1][perm[i]] for i in range(len(perm))]
            W[l] = [[row[perm[i]] for i in range(len(perm))] for row in W[l]]
        elif kind == "right":
            W[0] = _matmul(W[0], op[1], p)
        elif kind == "left":
            W[L - 1] = _matmul(op[1], W[L - 1], p)
        elif kind == "scale":
            _, l, i, t = op
            if not 1 <= l < L or t % p == 0:
                raise InputError(f"scaling needs a hidden layer and t != 0, got {op}")
            W[l - 1][i] = [x * t % p for x in W[l - 1][i]]
            tr = pow(pow(t, r, p), -1, p)
            for row in W[l]:
                row[i] = row[i] * tr % p
        elif kind in ("row", "column"):
            _, l, i, c = op
            if L != 2 or c % p == 0:
                raise InputError(f"Lemma P rescalings exist for L = 2 with c != 0, got {op}")
            if kind == "row":
                W[l - 1][i] = [x * c % p for x in W[l - 1][i]]
            else:
                for row in W[l - 1]:
                    row[i] = row[i] * c % p
        else:
            raise InputError(f"unknown operation {kind!r}")
    return W


def _root(v, r, p):
    """Some t in GF(p)^* with t^r = v (v must be an r-th power)."""
    for t in range(1, p):
        if pow(t, r, p) == v:
            return t
    raise ValueError(f"{v} is not an {r}-th power mod {p}")


def _representative(v, r, p, reps):
    """The representative of v's class modulo r-th powers."""
    powers = {pow(t, r, p) for t in range(1, p)}
    return next(c for c in reps if v * pow(c, -1, p) % p in powers)


# --- the normal form -------------------------------------------------------------------


class _State:
    """theta being normalised, with the list of operations applied so far."""

    def __init__(self, arch, r, p, theta):
        self.arch, self.r, self.p = arch, r, p
        self.W = apply_operations(arch, r, p, theta, [])
        self.ops = []

    def do(self, op):
        self.W = apply_operations(self.arch, self.r, self.p, self.W, [op])
        self.ops.append(op)


def _first_nonzero(v):
    return next(j for j, x in enumerate(v) if x)


def _check_outside_sub(arch, W, p):
    for l in arch.hidden_layers:
        rows, out = W[l - 1], W[l]
        for i, row in enumerate(rows):
            if not any(row) or not any(o[i] for o in out):
                raise InputError(f"the point is in Sub (neuron {i} of layer {l} is dead or "
                                 f"disconnected): Lemma N' covers the complement of Sub")
        for i in range(len(rows)):
            for j in range(i):
                if len(_independent_prefix([rows[j], rows[i]], p)) < 2:
                    raise InputError(f"the point is in Sub (rows {j}, {i} of W_{l} are "
                                     f"proportional): Lemma N' covers the complement of Sub")


def _permutation_first(indices, n):
    """A permutation putting ``indices`` first, the rest after, each in their order."""
    rest = [i for i in range(n) if i not in indices]
    return list(indices) + rest


def normal_form(arch, r: int, p: int, theta) -> dict:
    """The normal form of a GF(p)-point theta outside Sub (proofs/exhaustive.md, Lemma N'):
    ``point`` (nested lists), ``cell`` (one of :func:`stratified_cells` containing it),
    ``operations`` (for :func:`apply_operations`: theta -> point), ``stratum`` (rank W_1,
    rank W_L).  Raises InputError when theta is in Sub."""
    arch = Architecture.parse(arch)
    r, p = check_degree(r), int(p)
    d, L = arch.widths, arch.depth
    s = _State(arch, r, p, theta)
    _check_outside_sub(arch, s.W, p)
    reps = power_class_representatives(p, r)

    # (a) W_1: a basis of the row space first, mapped to e_1..e_m
    basis = _independent_prefix(s.W[0], p)
    m = len(basis)
    s.do(("permute", 1, _permutation_first(basis, d[1])))
    if L == 2:
        # T: a basis of W_2's column space, moved into {0..a-1} u {m..m+k-a-1} by permutations
        # of {0..m-1} (compensated in GL(d_0)) and of {m..d_1-1}
        T = _independent_prefix(_transpose(s.W[1]), p)
        inside = [i for i in T if i < m]
        perm = _permutation_first(inside, m) + _permutation_first(
            [i - m for i in T if i >= m], d[1] - m)
        perm = perm[:m] + [m + i for i in perm[m:]]
        s.do(("permute", 1, perm))
        T = list(range(len(inside))) + list(range(m, m + len(T) - len(inside)))
    Q = _completed(s.W[0][:m], d[0], p)
    s.do(("right", _inverse(Q, p)))
    for i in range(m, d[1]):
        c = pow(s.W[0][i][_first_nonzero(s.W[0][i])], -1, p)
        s.do(("row", 1, i, c) if L == 2 else ("scale", 1, i, c))

    # (b) L >= 3: a basis of W_L's column space first; one entry 1 in every other hidden row
    if L >= 3:
        T = _independent_prefix(_transpose(s.W[L - 1]), p)
        s.do(("permute", L - 1, _permutation_first(T, d[L - 1])))
        k = len(T)
        for l in range(2, L):
            for i in range(d[l]):
                if l == L - 1 and i >= k:
                    continue
                s.do(("scale", l, i, pow(s.W[l - 1][i][_first_nonzero(s.W[l - 1][i])], -1, p)))
        T = list(range(k))
    k = len(T)

    # (c) W_L: columns T -> e_1..e_k; every other column's first nonzero entry -> its class
    cols = _transpose(s.W[L - 1])
    Q = _completed([cols[i] for i in T], d[L], p)          # columns of T, then e's
    s.do(("left", _inverse(_transpose(Q), p)))
    for i in range(d[L - 1]):
        if i in T:
            continue
        q = _first_nonzero([row[i] for row in s.W[L - 1]])
        v = s.W[L - 1][q][i]
        if L == 2:
            s.do(("column", 2, i, pow(v, -1, p)))
        else:
            rho = _representative(v, r, p, reps)
            # t^(-r) = rho / v, i.e. t^r = v / rho
            s.do(("scale", L - 1, i, _root(v * pow(rho, -1, p) % p, r, p)))

    if L == 3:
        _torus_of_lemma_c3(s, m, k, reps)
    point = s.W
    cell = cell_containing(arch, r, p, point)
    if cell is None:
        raise AssertionError(f"Lemma N' fails: the normal form {point} of {theta} lies in no cell")
    return {"arch": arch, "point": point, "cell": cell, "operations": s.ops,
            "stratum": {"rank_W1": m, "rank_WL": k}}


def _torus_of_lemma_c3(s, m, k, reps):
    """L = 3: the greedy forest of proofs/converse.md, Lemma C3, on W_2's entries, and the torus
    (u_a, t_b) moving each entry it adds to its class representative while the entries
    W_2[a, c_a] = 1 of step (b) stay 1 (proofs/exhaustive.md, Lemma N')."""
    arch, r, p = s.arch, s.r, s.p
    d = arch.widths
    W1, W2, W3 = s.W
    colclass = [j if j < m else _first_nonzero(W1[j]) for j in range(d[1])]
    rowclass = [i if i < k else _first_nonzero([row[i] for row in W3]) for i in range(d[2])]
    parent = {}

    def find(v):
        while parent.get(v, v) != v:
            v = parent[v]
        return v

    start = {}                          # row class a -> the column class of its entry 1
    for a in range(k):
        j = _first_nonzero(W2[a])
        start[a] = colclass[j]
        parent[find(("C", colclass[j]))] = find(("R", a))
    fixed_ones = {(a, _first_nonzero(W2[a])) for a in range(k)}
    extension = []                      # (i, j) entries the greedy choice sets to a class rep
    for b in range(m):
        cb = find(("C", b))
        for i in range(d[2]):
            for j in range(d[1]):
                if colclass[j] != b or (i, j) in fixed_ones or find(("R", rowclass[i])) == cb:
                    continue
                if W2[i][j]:
                    extension.append((i, j))
                    parent[cb] = find(("R", rowclass[i]))
                    break
            else:
                continue
            break
    # the stars of step (b): column class b with the row classes a whose entry 1 is in class b;
    # sigma per star (an r-th power) so that sigma_{star(b)} / sigma_{star(a)} = rho / v on
    # every added entry (a forest on the stars: solve outward from a root)
    star = {("C", b): b for b in range(m)}
    star.update({("R", a): start[a] for a in range(k)})
    edges = []
    for i, j in extension:
        v = W2[i][j]
        rho = _representative(v, r, p, reps)
        edges.append((star[("R", rowclass[i])], colclass[j], rho * pow(v, -1, p) % p))
    sigma = {}
    for root in range(m):
        if root in sigma:
            continue
        sigma[root] = 1
        grown = True
        while grown:
            grown = False
            for sa, sb, ratio in edges:
                if sa in sigma and sb not in sigma:
                    sigma[sb] = sigma[sa] * ratio % p
                    grown = True
                elif sb in sigma and sa not in sigma:
                    sigma[sa] = sigma[sb] * pow(ratio, -1, p) % p
                    grown = True
    # t_b with t_b^(-r) = sigma_b; u_a = sigma_{star(a)}^(-1)
    for b in range(m):
        if sigma[b] == 1:
            continue
        t = _root(pow(sigma[b], -1, p), r, p)
        s.do(("scale", 1, b, t))
        s.do(("right", [[(pow(t, -1, p) if i == j == b else int(i == j)) for j in range(d[0])]
                        for i in range(d[0])]))
        for j in range(m, d[1]):
            if colclass[j] == b:
                s.do(("scale", 1, j, t))
    for a in range(k):
        u = pow(sigma[start[a]], -1, p)
        if u == 1:
            continue
        s.do(("scale", 2, a, u))
        s.do(("left", [[(pow(u, r, p) if i == j == a else int(i == j)) for j in range(d[3])]
                       for i in range(d[3])]))
        for i in range(k, d[2]):
            if rowclass[i] == a:
                s.do(("scale", 2, i, u))


_CELLS: dict = {}


def cell_containing(arch, r: int, p: int, point):
    """The first cell of :func:`stratified_cells` (arch, r, p) whose fixed coordinates the point
    has (free coordinates may take any value), or None."""
    arch = Architecture.parse(arch)
    key = (str(arch), int(r), int(p))
    if key not in _CELLS:
        _CELLS[key] = stratified_cells(arch, r, p)
    flat = [x % p for M in point for row in M for x in row]
    for cell in _CELLS[key]:
        if all(v < 0 or v == x for v, x in zip(cell.fixed, flat)):
            return cell
    return None
