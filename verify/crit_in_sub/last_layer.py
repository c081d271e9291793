"""The converse by truncation: a last hidden layer of width 2 (Propositions Y, Y3, Theorem Y6).

Serves proofs/converse.md, section 9 (Proposition Y, Lemma Y1, Corollary Y2; 9.1: Proposition Y3,
Corollary Y4; 9.2: Lemmas Y5, Y1 (c), Y7 and Theorem Y6).  For
d = (d_0, ..., d_{L-2}, 2, 1), L >= 3, every d_l >= 2, write theta = (theta', w) with theta' the
weights of the *truncated* network d' = (d_0, ..., d_{L-2}, 2) (its two outputs a, b are the last
hidden pre-activations of d, forms of degree D' = r^(L-2)) and w = W_L = (w_1, w_2).  Then
f = w_1 a^r + w_2 b^r and, whenever w_1 w_2 != 0,

    rank J_d(theta) = rank J_d'(theta') - dim( im J_d'(theta') meet K_w ),
    K_w = {(A, B) : w_1 a^(r-1) A + w_2 b^(r-1) B = 0}        (Proposition Y).

K_w = 0 when r >= 3, a, b != 0 and (r - 1)(D' - deg gcd(a, b)) > D'; at r = 2 and gcd(a, b) = 1
it is the line of the rotation (w_2 b, -w_1 a), which lies in im J_d'.  Hence g(d) = g(d') - [r = 2],
and where Lemma Y1 bounds deg gcd(a, b) at every point outside Sub(d) (the layers m..L-1 of
width 2 with m = 1, any r >= 2; or m = 2, d_1 = 3 and r >= 4, by Lemma G3 of threshold.md),
Crit(d) lies in Sub(d) iff every point of d' outside Sub(d') whose output matrix has rank 2 has
rank g(d') (Corollary Y2).  For d = (d_0, k, 2, ..., 2, n) with r >= max(2, 2k - 2) (and r >= 3
when n >= 2) that hypothesis is proved by hand (Lemma Y7; Theorem Y6, :func:`applies`), so
nothing is computed; elsewhere the charts of d' of output rank 2 (:func:`truncated_converse`)
are searched for critical points, which lift to witnesses of d (Corollaries Y2 (ii), Y4 (iii)).

Several outputs (section 9.1, Proposition Y3, Corollary Y4): for d_L = n >= 2 and W_L of rank 2,
rank J_d = rank J_d' + 2n - 2 whenever a, b != 0 and neither a^(r-1) | b^r nor b^(r-1) | a^r; for
W_L = c w^T, rank J_d = rank J_{d_1}(theta', w) + (n - 1) dim span{a^r, b^r}, d_1 = (d_0, ..., 2, 1)
(:func:`output_rank_identity` computes both sides); g(d) = g(d') + 2n - 2.  So under Lemma Y1 with
r >= 3 the same hypothesis on d' proves Crit(d) in Sub(d), and at r = 2 every rank-one W_L is
critical.

EXAMPLES::

    sage: from verify.crit_in_sub.last_layer import applies, truncated
    sage: str(truncated("2,3,2,1")), applies("2,3,2,1", 4)[0], applies("2,3,2,1", 3)[0]
    ('2,3,2', True, False)
    sage: applies("2,2,2,2,1", 2)[0], applies("2,4,2,1", 6)[0], applies("2,4,2,1", 5)[0]
    (True, True, False)
    sage: applies("2,2,2,2", 2)[0], applies("2,3,2,2", 3)[0]
    (False, False)
"""

from __future__ import annotations

from ..core.architecture import Architecture
from .common import ALL_CODIMENSIONS, decode_witness, witness_record

__all__ = ["applies", "truncated", "single_output", "lift_weights", "output_lift",
           "last_pair_forms", "rank_identity", "output_rank_identity", "truncated_converse",
           "last_layer_converse"]


def _run_of_twos(d) -> int:
    """The least m >= 1 with d_m = ... = d_{L-1} = 2 (d_{L-1} = 2 assumed)."""
    L = len(d) - 1
    m = L - 1
    while m - 1 >= 1 and d[m - 1] == 2:
        m -= 1
    return m


def applies(arch, r: int) -> tuple[bool, str]:
    """Does Theorem Y6 (converse.md section 9.2) prove Crit in Sub for (arch, r)?  (True, the
    case of Lemma Y1 it uses) or (False, why not).  Its hypotheses: d_{L-1} = 2 with the layers
    2..L-1 of width 2, k = d_1 >= 2 and r >= max(2, 2k - 2), and r >= 3 when d_L >= 2."""
    arch = Architecture.parse(arch)
    d, L = arch.widths, arch.depth
    if L < 3 or d[L - 1] != 2:
        return False, "needs L >= 3 and d_{L-1} = 2"
    if any(w < 2 for w in d[:L]):
        return False, "needs d_0, ..., d_{L-1} >= 2"
    if r < 2:
        return False, "needs r >= 2"
    if d[L] >= 2 and r == 2:
        return False, ("d_L >= 2 at r = 2: every point with rank W_L = 1 is critical "
                       "(Corollary Y4 (ii)), so Crit is not inside Sub")
    m = _run_of_twos(d)
    if m == 1:
        return True, "every hidden layer has width 2: gcd(a, b) = 1 (Lemma Y1 (a))"
    k = d[1]
    if m == 2 and r >= 2 * k - 2:
        lemma = ("deg gcd(a, b) <= 2 r^(L-3) (Lemma Y1 (b), Lemma G3)" if k == 3 else
                 "deg gcd(a, b) <= (r - floor(r/(k-1))) r^(L-3) (Lemma Y1 (c), Lemma G1)")
        return True, f"d_1 = {k}, layers 2..{L - 1} of width 2, r >= 2 d_1 - 2 = {2 * k - 2}: {lemma}"
    if m == 2:
        return False, (f"d_1 = {k} needs r >= 2 d_1 - 2 = {2 * k - 2} (below it the truncated network "
                       f"has critical points of output rank 2, Lemma Y5's sharpness)")
    return False, (f"layer {m - 1} of width {d[m - 1]} under the width-2 layers, above layer 1: "
                   f"no bound on deg gcd(a, b) is proved")


def truncated(arch) -> Architecture:
    """d' = (d_0, ..., d_{L-2}, 2): the network whose two outputs are the last hidden layer."""
    arch = Architecture.parse(arch)
    return Architecture(tuple(arch.widths[:-1]))


def lift_weights(arch, inner_weights, w=(1, 1)) -> list:
    """(theta', w): the point of ``arch`` whose truncated network is at theta'."""
    return [[list(row) for row in W] for W in inner_weights] + [[list(w)]]


def last_pair_forms(arch, r: int, weights, ring=None):
    """(a, b): the two last hidden pre-activations of ``arch`` at ``weights`` (forms in
    x0, x1, ... over ``ring``, default QQ) -- the outputs of the truncated network."""
    from sage.all import QQ, PolynomialRing
    arch = Architecture.parse(arch)
    ring = QQ if ring is None else ring
    R = PolynomialRing(ring, arch.widths[0], "x")
    act = list(R.gens())
    q = act
    for l, W in enumerate(weights[:-1], start=1):
        q = [sum((ring(W[i][j]) * act[j] for j in range(len(W[0]))), R.zero()) for i in range(len(W))]
        act = [qi ** r for qi in q]
    return q[0], q[1]


def rank_identity(arch, r: int, weights, ring=None) -> dict:
    """Both sides of Proposition Y at ``weights`` (w_1 w_2 != 0), exactly over ``ring``:
    ``rank_d``, ``rank_truncated``, ``dim_K`` (dim K_w), ``delta`` (dim of im J_d' meet K_w),
    ``gcd_degree`` (deg gcd(a, b); None when a = b = 0)."""
    from sage.all import QQ, matrix
    from ..core.jacobian import coefficient_jacobian, monomial_basis
    arch = Architecture.parse(arch)
    ring = QQ if ring is None else ring
    inner = truncated(arch)
    w1, w2 = (ring(v) for v in weights[-1][0])
    if w1 == 0 or w2 == 0:
        raise ValueError("Proposition Y needs w_1 w_2 != 0")
    Jd = coefficient_jacobian(arch, r, weights, ring)
    Jt = coefficient_jacobian(inner, r, weights[:-1], ring)     # rows: a's coefficients, then b's
    a, b = last_pair_forms(arch, r, weights, ring)
    n, Dp = arch.widths[0], r ** (arch.depth - 2)
    low, high = monomial_basis(n, Dp), monomial_basis(n, r * Dp)
    R = a.parent()
    mono = [R.monomial(*e) for e in low]
    # E_w: (A, B) -> w_1 a^(r-1) A + w_2 b^(r-1) B, columns indexed like the rows of Jt
    cols = [w1 * a ** (r - 1) * m for m in mono] + [w2 * b ** (r - 1) * m for m in mono]
    E = matrix(ring, [[c.monomial_coefficient(R.monomial(*e)) for c in cols] for e in high])
    K = E.right_kernel().basis_matrix()                         # rows span K_w
    dimK = K.nrows()
    both = matrix(ring, list(Jt.transpose().rows()) + list(K.rows())).rank() if dimK else Jt.rank()
    delta = Jt.rank() + dimK - both
    g = a.gcd(b) if (a != 0 or b != 0) else None
    return {"rank_d": int(Jd.rank()), "rank_truncated": int(Jt.rank()), "dim_K": int(dimK),
            "delta": int(delta), "gcd_degree": None if g is None else int(g.degree())}


def single_output(arch) -> Architecture:
    """d_1 = (d_0, ..., d_{L-1}, 1): the single-output network of a rank-one output matrix."""
    arch = Architecture.parse(arch)
    return Architecture(tuple(arch.widths[:-1]) + (1,))


def output_lift(arch, inner_weights) -> list:
    """(theta', [[1, 0], [0, 1], [0, 0], ...]): the point of ``arch`` (d_L >= 2) whose truncated
    network is at theta' and whose output matrix is the normal form of rank 2 (Corollary Y4 (iii))."""
    arch = Architecture.parse(arch)
    n = arch.widths[-1]
    W = [[1 if j == i else 0 for j in range(2)] for i in range(n)]
    return [[list(row) for row in M] for M in inner_weights] + [W]


def output_rank_identity(arch, r: int, weights, ring=None) -> dict:
    """Both sides of Proposition Y3 at ``weights`` (d_{L-1} = 2, d_L = n >= 1), exactly over ``ring``.

    Computed independently of each other: ``rank_d`` (the Jacobian of d), ``rank_truncated``
    (J' of d' = (d_0, ..., d_{L-2}, 2)), ``rank_W`` (rank of W_L), ``dim_P`` (dim span{a^r, b^r}),
    ``divides`` (a^(r-1) | b^r or b^(r-1) | a^r, with a = 0 or b = 0 counted as dividing),
    ``gcd_degree``, and the prediction ``predicted`` of Proposition Y3:
    rank W_L = 2: dim(P^2 + E(im J')) + (n - 2) dim P, with E(A, B) = (a^(r-1) A, b^(r-1) B)
    (and ``overlap`` = dim(P^2 meet E(im J'))); rank W_L = 1, W_L = c w^T: rank J_{d_1}(theta', w)
    + (n - 1) dim P (``rank_single``, the Jacobian of (d_0, ..., 2, 1) at (theta', w))."""
    from sage.all import QQ, matrix
    from ..core.jacobian import coefficient_jacobian, monomial_basis
    arch = Architecture.parse(arch)
    ring = QQ if ring is None else ring
    inner = truncated(arch)
    n = arch.widths[-1]
    Wout = matrix(ring, [[ring(v) for v in row] for row in weights[-1]])
    Jd = coefficient_jacobian(arch, r, weights, ring)
    Jt = coefficient_jacobian(inner, r, weights[:-1], ring)     # rows: a's coefficients, then b's
    a, b = last_pair_forms(arch, r, weights, ring)
    R = a.parent()
    nvar, Dp = arch.widths[0], r ** (arch.depth - 2)
    low, high = monomial_basis(nvar, Dp), monomial_basis(nvar, r * Dp)

    def vec(p):
        return [p.monomial_coefficient(R.monomial(*e)) for e in high]

    P = matrix(ring, [vec(a ** r), vec(b ** r)])
    dim_P = P.rank()
    rank_W = Wout.rank()
    divides = (a == 0 or b == 0 or (b ** r) % (a ** (r - 1)) == 0
               or (a ** r) % (b ** (r - 1)) == 0)
    g = a.gcd(b) if (a != 0 or b != 0) else None
    out = {"rank_d": int(Jd.rank()), "rank_truncated": int(Jt.rank()), "rank_W": int(rank_W),
           "dim_P": int(dim_P), "divides": bool(divides),
           "gcd_degree": None if g is None else int(g.degree()), "n": n}
    if rank_W == 2:
        k = len(low)
        mono = [R.monomial(*e) for e in low]
        # E(V): the columns of J' mapped by (A, B) -> (a^(r-1) A, b^(r-1) B), in T^2
        cols = []
        for c in Jt.columns():
            A = sum((c[i] * mono[i] for i in range(k)), R.zero())
            B = sum((c[k + i] * mono[i] for i in range(k)), R.zero())
            cols.append(vec(a ** (r - 1) * A) + vec(b ** (r - 1) * B))
        EV = matrix(ring, cols) if cols else matrix(ring, 0, 2 * len(high))
        zero = [0] * len(high)
        P2 = matrix(ring, [vec(a ** r) + zero, vec(b ** r) + zero,
                           zero + vec(a ** r), zero + vec(b ** r)])
        both = P2.stack(EV).rank()
        out["overlap"] = int(P2.rank() + EV.rank() - both)
        out["predicted"] = int(both + (n - 2) * dim_P)
    elif rank_W == 1:
        i = next(i for i in range(n) if any(v != 0 for v in Wout.row(i)))
        w = list(Wout.row(i))
        single = single_output(arch)
        Js = coefficient_jacobian(single, r, list(weights[:-1]) + [[w]], ring)
        out["rank_single"] = int(Js.rank())
        out["predicted"] = int(Js.rank() + (n - 1) * dim_P)
    return out


def _output_rank_two(W_out, K=None) -> bool:
    """Is the 2-row output matrix of the truncated network of rank 2 (rows nonzero and not
    proportional, i.e. the last hidden layer of d is in none of its A and C strata)?"""
    from sage.all import QQ, matrix
    return matrix(QQ if K is None else K, W_out).rank() == 2


def truncated_converse(inner, r: int, g: int, seed: int = 0, rounds: int = 6) -> dict:
    """Theorem S on the charts of ``inner`` (= d') whose output matrix has rank 2: do all their
    points outside Sub(d') have rank >= g = g(d', r) (exact)?  Returns ``{"holds": True | False |
    None, "charts": [...], "witnesses": [...]}`` (witnesses of d', each on a chart of output
    rank 2), or ``{"holds": None, "reason": ...}`` when the charts exceed the symbolic limits."""
    import random
    from .chart import charts
    from .symbolic import _chart_outcome, charts_fit
    from ..core.errors import InputError
    inner = Architecture.parse(inner)
    try:
        cs = [c for c in charts(inner) if c.stratum.get("rank_WL") == 2]
    except InputError as e:                      # more charts than CHART_LIMIT: nothing claimed
        return {"holds": None, "reason": f"charts of {inner}: {e}", "charts": []}
    ok, why = charts_fit(inner, r, cs)
    if not ok:
        return {"holds": None, "reason": f"output-rank-2 charts of {inner}: {why}", "charts": []}
    rng = random.Random(int(seed))
    outcomes, witnesses = [], []
    for c in cs:
        status, info = _chart_outcome(c, r, g, rng, rounds)
        witnesses += info.pop("witnesses", [])
        outcomes.append({"chart": c.label, "variables": len(c.free), "status": status})
    statuses = {o["status"] for o in outcomes}
    holds = False if "refuted" in statuses else True if statuses <= {"proved", "inside-sub"} else None
    return {"holds": holds, "charts": outcomes, "witnesses": witnesses}


def _rank_one_output_witness(arch, r: int, g_d: int, seed: int = 0) -> dict | None:
    """r = 2, d_L >= 2: a point (theta', c w^T) outside Sub(d) with c = w = (1, ..., 1), theta'
    seeded random (outside Sub(d'), output matrix of rank 2); critical by Corollary Y4 (ii), and
    re-verified exactly here (rank over QQ, strata)."""
    import random
    from sage.all import matrix
    arch = Architecture.parse(arch)
    d = arch.widths
    rng = random.Random(int(seed))
    for _ in range(20):
        inner = [[[rng.randint(-3, 3) for _ in range(d[l])] for _ in range(d[l + 1])]
                 for l in range(arch.depth - 1)]
        if matrix(inner[-1]).rank() != 2:
            continue
        rec = witness_record(arch, r, inner + [[[1, 1] for _ in range(d[-1])]], None, g_d)
        if rec.get("verified"):
            return rec
    return None


def last_layer_converse(arch, r: int, g: int, generic_rank, **options) -> dict | None:
    """Crit in Sub for ``arch`` at ``r`` from its truncated network (Corollaries Y2, Y4), or None.

    ``g``: the proved lower bound of g(arch, r) the dispatcher compares witnesses with;
    ``generic_rank``: the dispatcher's ``proved_generic_rank`` (passed in: this module stands
    below the dispatcher).  Holds (coverage all-codimensions, ``proved-over-Q``) when Theorem Y6
    applies (:func:`applies`): nothing is computed (g(d') = N' - H' by Lemma Y7).  Otherwise the
    output-rank-2 charts of d' are searched (Theorem S): a critical point of d' outside Sub(d')
    with output matrix of rank 2 lifts to (theta', (1, 1)) for d_L = 1 (Corollary Y2 (ii)) and to
    (theta', [[1, 0], [0, 1], 0, ...]) for d_L >= 2 (Corollary Y4 (iii)); at r = 2 and d_L >= 2 a
    rank-one output matrix is a witness (Corollary Y4 (ii)).  Every witness is re-verified
    exactly on d.  None when nothing is settled.
    """
    arch = Architecture.parse(arch)
    d, L = arch.widths, arch.depth
    if L < 3 or d[L] < 1 or d[L - 1] != 2 or not arch.in_theorem_scope() or r < 2:
        return None
    n = d[L]
    ok, case = applies(arch, r)
    inner = truncated(arch)
    seed, prime = options.get("seed", 0), options.get("prime")
    if ok:                                          # Lemma Y7: g(d') = N' - H'
        g_inner = inner.params - inner.hidden
    else:
        G = generic_rank(inner, r, prime=prime, seed=seed)
        if G.certificate != "exact":
            return None
        g_inner = G.value
    # Proposition Y (iii) for d_L = 1, Proposition Y3 (iii) for d_L >= 2
    g_d = g_inner - (1 if r == 2 else 0) if n == 1 else g_inner + 2 * n - 2
    if g > g_d:                                    # cannot happen: g is a proved lower bound
        return None
    via = {"truncated": str(inner), "truncated_generic_rank": g_inner,
           "generic_rank_from_truncated": g_d, "lemma_Y1": case, "outputs": n}
    if n >= 2 and r == 2:
        rec = _rank_one_output_witness(arch, r, g_d, seed=seed)
        if rec is not None:
            return {"method": "last-layer", "certificate": "proved-over-Q", "witnesses": [rec],
                    "details": {**via, "crit_in_sub": False, "coverage": None,
                                "statement": f"at r = 2 every point of {arch} with rank W_L = 1 "
                                             f"has rank <= g - 1 = {g_d - 1} (Corollary Y4 (ii))"}}
        return None
    corollary = "Corollary Y2" if n == 1 else "Corollary Y4"
    if ok:                                         # Theorem Y6: the hypothesis holds by Lemma Y7
        return {"method": "last-layer", "certificate": "proved-over-Q", "witnesses": [],
                "details": {**via, "crit_in_sub": True, "coverage": ALL_CODIMENSIONS,
                            "generic_rank": g_d, "truncated_method": "Lemma Y7 (by hand)",
                            "truncated_certificate": "proved-over-Q",
                            "statement": f"Theorem Y6 (proofs/converse.md, section 9.2): every point "
                                         f"of {inner} outside Sub with output rank 2 has rank "
                                         f"g = {g_inner} (Lemma Y7); {case}; {corollary} lifts it "
                                         f"to {arch}"}}
    # Theorem Y6 does not apply: search the output-rank-2 charts of d' for critical points,
    # which lift to witnesses of d whether or not a gcd bound holds (Corollaries Y2 (ii), Y4 (iii))
    part = truncated_converse(inner, r, g_inner, seed=seed)
    via.update({"truncated_method": "symbolic (output-rank-2 charts)",
                "truncated_charts": part.get("charts"), "truncated_note": part.get("reason")})
    lifted = []
    for w in part.get("witnesses", []):
        K, W = decode_witness(inner, w)
        if not _output_rank_two(W[-1], K):
            continue
        point = lift_weights(arch, W) if n == 1 else output_lift(arch, W)
        rec = witness_record(arch, r, point, K, g_d)
        if rec.get("verified"):
            lifted.append(rec)
    if lifted:
        lift = "(theta', (1, 1))" if n == 1 else "(theta', [[1, 0], [0, 1], 0, ...])"
        return {"method": "last-layer", "certificate": "proved-over-Q", "witnesses": lifted,
                "details": {**via, "crit_in_sub": False, "coverage": None,
                            "statement": f"a critical point of {inner} outside its Sub with an "
                                         f"output matrix of rank 2 lifts to {lift} "
                                         f"({corollary} ({'ii' if n == 1 else 'iii'}))"}}
    return None
