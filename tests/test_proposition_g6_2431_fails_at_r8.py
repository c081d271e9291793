"""Proposition G6 (proofs/threshold.md, section 15): 2,4,3,1 fails at r = 8, so its threshold is 9.

The witness (proofs/witnesses/2,4,3,1-r8.json) is a point over a number field of degree 36 on
Remark G5's exceptional family.  It was found by a search (msolve modulo primes, CRT and rational
reconstruction), which no statement relies on: the point certifies itself.  The file stores the
field's polynomial and every entry as rational coefficients (its entries are too long for the
hostile-input reader of ``check-witness``); the test rebuilds the point and runs the same exact
check, :func:`verify.crit_in_sub.common.witness_record`: the proved generic rank, the rank of J
over the field (restriction of scalars) and the subnetwork strata.
"""

import json
from pathlib import Path

import pytest

WITNESS = Path(__file__).resolve().parent.parent / "proofs" / "witnesses" / "2,4,3,1-r8.json"


@pytest.fixture(scope="module")
def point():
    """(K, weights over K), rebuilt once from the stored coefficients."""
    from sage.all import QQ, NumberField, PolynomialRing
    record = json.loads(WITNESS.read_text())
    m = PolynomialRing(QQ, "x")([QQ(c) for c in record["minimal_polynomial"]])
    K = NumberField(m, "a")
    a = K.gen()
    entry = lambda cs: sum(QQ(c) * a ** i for i, c in enumerate(cs))
    assert (record["arch"], record["degree"]) == ("2,4,3,1", 8)
    return K, [[[entry(v) for v in row] for row in M] for M in record["weights"]]


def test_the_witness_is_critical_and_outside_sub_exactly(point):
    from verify.core.architecture import Architecture
    from verify.crit_in_sub.common import witness_record
    from verify.sub_in_crit.subnetwork_rank import proved_generic_rank
    arch, r = Architecture.parse("2,4,3,1"), 8
    K, W = point
    assert K.degree() == 36
    g = proved_generic_rank(arch, r)
    out = witness_record(arch, r, W, K, g.value)
    assert g.value == 16 and out["rank"] == 15
    assert out["strata"] == [] and out["critical"] and out["verified"]


def _reduced(point, p):
    """The witness's weights over GF(p) through a root of the field's polynomial mod p, or
    None when it has no root there or a denominator vanishes."""
    from sage.all import GF, QQ
    K, W = point
    k = GF(p)
    roots = K.defining_polynomial().change_ring(k).roots()
    if not roots:
        return None
    image = lambda v: sum(k(QQ(c)) * roots[0][0] ** i for i, c in enumerate(K(v).list()))
    try:
        return [[[image(v) for v in row] for row in M] for M in W]
    except ZeroDivisionError:
        return None


def test_moving_one_output_weight_restores_the_generic_rank(point):
    # Reduction mod a prime of degree 1 can only lower the rank, so rank 16 there is rank 16
    # over the field: the rank drop is a property of this point, not of the family.
    from sage.all import next_prime
    from verify.core.architecture import Architecture
    from verify.core.jacobian import jacobian_at
    arch, r = Architecture.parse("2,4,3,1"), 8
    p = next_prime(10 ** 6)
    while (Wp := _reduced(point, p)) is None:
        p = next_prime(p)
    k = Wp[0][0][0].parent()
    assert jacobian_at(arch, r, Wp, ring=k).rank() == 15
    moved = [Wp[0], Wp[1], [[Wp[2][0][0], Wp[2][0][1], Wp[2][0][2] + 1]]]
    assert jacobian_at(arch, r, moved, ring=k).rank() == 16


def test_with_theorem_t3_from_r_9_the_threshold_of_2431_is_9():
    from verify.core.threshold_bounds import proven_threshold, theorem_t3_check
    assert proven_threshold("2,4,3,1")["value"] == 9
    assert not theorem_t3_check("2,4,3,1", 8)["holds"]      # T3 stops exactly where the witness is
