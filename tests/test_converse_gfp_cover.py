"""proofs/exhaustive.md, Lemma N': every GF(p)-point outside Sub is carried by a symmetry
defined over GF(p) to a point of one of the stratified cells.

The normaliser (verify.crit_in_sub.normaliser) is the proof as code; it is checked two ways.
Brute force: every GF(p)-point of a few tiny architectures, with Sub decided by the
exhaustive search's own mask (a second implementation of Sub over GF(p)); each point outside
Sub gets a cell, and the symmetry it returns, applied by the separate `apply_operations`,
gives the point it claims.  Random and structured points of the catalogue's L = 3 and L = 4
architectures: the same, plus rank J mod p (p > D) equal at theta and at its normal form.
The cells before issue 21 missed points (half of the points of 2,2,2,1 over GF(3) at r = 2,
three quarters of 2,2,1,1 over GF(5) at r = 4): `test_the_cells_before_the_fix_miss_points`
shows that the brute-force test can fail.
"""

import itertools
import random

import numpy as np
import pytest

from verify.core.architecture import Architecture
from verify.core.errors import InputError
from verify.core.jacobian import jacobian_at
from verify.core.weights import unflatten
from verify.crit_in_sub.chart import Cell, charts, power_class_representatives
from verify.crit_in_sub.exhaustive import batched_subnetwork_mask
from verify.crit_in_sub.normaliser import apply_operations, cell_containing, normal_form

# (architecture, r, p): L = 2, 3 and 4, with 1, 2 and 4 classes modulo r-th powers
BRUTE_FORCE = [("2,2,1", 2, 5), ("2,2,1", 3, 7), ("2,2,2,1", 2, 3), ("2,2,1,1", 4, 5),
               ("2,2,1,1,1", 2, 3)]


def points_outside_sub(arch, p):
    pts = np.array(list(itertools.product(range(p), repeat=arch.params))).T
    sub = batched_subnetwork_mask(arch, pts, p)
    return pts, sub


@pytest.mark.parametrize("spec,r,p", BRUTE_FORCE)
def test_every_point_outside_sub_lies_in_a_cell(spec, r, p):
    arch = Architecture.parse(spec)
    pts, sub = points_outside_sub(arch, p)
    outside = 0
    for col in range(pts.shape[1]):
        theta = unflatten(arch, [int(x) for x in pts[:, col]])
        if sub[col]:
            with pytest.raises(InputError):
                normal_form(arch, r, p, theta)
            continue
        nf = normal_form(arch, r, p, theta)
        assert nf["point"] == apply_operations(arch, r, p, theta, nf["operations"])
        cell = nf["cell"]
        flat = [x for M in nf["point"] for row in M for x in row]
        assert all(v < 0 or v == x for v, x in zip(cell.fixed, flat))
        outside += 1
    assert outside > 0


def test_brute_force_count_by_hand():
    """2,2,1 over GF(5): outside Sub, W_1 is invertible (|GL_2(F_5)| = 24 * 20 = 480) and
    W_2 has no zero entry (16): 7680 points (proofs/exhaustive.md, section 7, case 1)."""
    arch = Architecture.parse("2,2,1")
    _, sub = points_outside_sub(arch, 5)
    assert int((~sub).sum()) == 480 * 16


def _old_stratified_cells(arch, r, p):
    """The cells before issue 21: only the gauge entries of W_L range over the classes."""
    arch = Architecture.parse(arch)
    reps = power_class_representatives(p, r) if arch.depth >= 3 else [1]
    w_l = arch.offset(arch.depth)
    out = []
    for chart in charts(arch):
        scaled = [c for c, v in chart.fixed if c >= w_l and v == 1 and c in chart.gauge]
        for values in itertools.product(reps, repeat=len(scaled)):
            fx = dict(chart.fixed)
            fx.update(zip(scaled, values))
            out.append(Cell(tuple(-1 if c in set(chart.free) else int(fx[c])
                                  for c in range(arch.params)), chart.gauge))
    return out


@pytest.mark.parametrize("spec,r,p,missed", [("2,2,2,1", 2, 3, 4608), ("2,2,1,1", 4, 5, 23040)])
def test_the_cells_before_the_fix_miss_points(spec, r, p, missed, monkeypatch):
    """The brute-force test fails on the old cells (so it can fail)."""
    import verify.crit_in_sub.normaliser as normaliser
    monkeypatch.setattr(normaliser, "stratified_cells", _old_stratified_cells)
    monkeypatch.setattr(normaliser, "_CELLS", {})
    arch = Architecture.parse(spec)
    pts, sub = points_outside_sub(arch, p)
    lost = 0
    for col in np.nonzero(~sub)[0]:
        theta = unflatten(arch, [int(x) for x in pts[:, col]])
        try:
            normal_form(arch, r, p, theta)
        except AssertionError:
            lost += 1
    assert lost == missed


def test_the_point_of_issue_21_lies_in_a_cell():
    """2,3,2,1 at r = 4 over GF(17): W_2[0, 1] = 3 is not a 4th power (the 4th powers mod 17
    are 1, 4, 13, 16), so no torus element brings it to 1; its cell has 3 there."""
    theta = [[[1, 0], [0, 1], [1, 1]], [[1, 3, 9], [1, 3, 10]], [[1, 1]]]
    arch = Architecture.parse("2,3,2,1")
    assert {pow(t, 4, 17) for t in range(1, 17)} == {1, 4, 13, 16}
    nf = normal_form(arch, 4, 17, theta)
    assert nf["point"] == theta                      # already normalised, up to its class
    assert nf["cell"].fixed[arch.weight_index(2, 0, 1)] == 3
    assert cell_containing(arch, 4, 17, theta) is not None


def _structured_points(arch, p, rng):
    """Random points outside Sub and structured ones: a rank-deficient W_1, a rank-one W_L,
    rows of a deep layer sharing entries, entries that are not r-th powers."""
    d, L = arch.widths, arch.depth

    def rand(rows, cols):
        return [[rng.randrange(1, p) for _ in range(cols)] for _ in range(rows)]

    out = []
    for kind in range(6):
        W = [rand(d[l + 1], d[l]) for l in range(L)]
        if kind == 1 and d[1] > 2:                       # W_1 of rank 2
            a, b = W[0][0], W[0][1]
            W[0] = [[(s * x + t * y) % p for x, y in zip(a, b)]
                    for s, t in [(1, 0), (0, 1)] + [(rng.randrange(1, p), rng.randrange(1, p))
                                                    for _ in range(d[1] - 2)]]
        if kind == 2:                                   # W_L of rank one
            c = [rng.randrange(1, p) for _ in range(d[L - 1])]
            W[L - 1] = [[rng.randrange(1, p) * x % p for x in c] for _ in range(d[L])]
        if kind == 3 and L >= 3:                        # a deep layer with shared entries
            W[1] = [[W[1][0][j] if j % 2 == 0 else W[1][i][j] for j in range(d[1])]
                    for i in range(d[2])]
        if kind == 4:                                   # entries 0 where Sub allows
            for M in W[1:-1]:
                M[0][-1] = 0
        if kind == 5:                                   # entries of every power class
            g = power_class_representatives(p, 2)[-1]
            for M in W[1:]:
                for row in M:
                    row[0] = g
        out.append(W)
    return out


@pytest.mark.parametrize("spec,r", [("2,3,2,1", 4), ("3,3,2,1", 4), ("2,2,3,1", 3),
                                     ("3,2,2,1", 2), ("2,3,3,1", 3), ("2,2,2,2,1", 2),
                                     ("2,2,2,2", 2), ("2,3,3,2", 2)])
def test_random_and_structured_points_of_the_catalogue(spec, r):
    """L = 3 and L = 4 catalogue architectures, p = 1 mod 12 above D (every class of
    4th, 3rd and square roots present): normal form in a cell, the operations reproduce it,
    and rank J mod p is the same at theta and at its normal form."""
    arch = Architecture.parse(spec)
    D = arch.output_degree(r)
    p = next(q for q in range(D + 1, 2000) if q % 12 == 1 and all(q % s for s in range(2, q)))
    rng = random.Random(21)
    seen = 0
    for _ in range(4):
        for theta in _structured_points(arch, p, rng):
            flat = np.array([[x] for M in theta for row in M for x in row])
            if batched_subnetwork_mask(arch, flat, p)[0]:
                continue
            nf = normal_form(arch, r, p, theta)
            assert nf["point"] == apply_operations(arch, r, p, theta, nf["operations"])
            from sage.all import GF
            assert jacobian_at(arch, r, theta, GF(p)).rank() == \
                jacobian_at(arch, r, nf["point"], GF(p)).rank()
            seen += 1
    assert seen >= 12
