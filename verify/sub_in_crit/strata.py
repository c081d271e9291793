"""The subnetwork strata A (dead), B (disconnected), C (duplicate), membership in Sub,
and, per stratum, its defining ideal, codimension, rational parametrisation and
seeded random points.

Serves proofs/strata.md, section 1 (definitions of MATH.md section 3): for a
hidden layer l and neurons i != j of it,
A_{l,i}: row i of W_l is zero; B_{l,i}: column i of W_{l+1} is zero;
C_{l,i,j}: rows i and j of W_l are proportional.  Sub is their union.
The kind ``C'`` is the closed subset of C_{l,i,j} where the outgoing columns i
and j of W_{l+1} are proportional as well; it lies inside C, so it is not a
component of Sub, but its generic rank drop differs (proofs/strata.md, section 3).

Parametrisations (every one is polynomial and its image is dense in the stratum):
A: row i of W_l set to zero; B: column i of W_{l+1} set to zero; C: row j of W_l
replaced by ``c`` times row i (``c`` a new parameter); C': additionally column j
of W_{l+1} replaced by ``e`` times column i.  Every other weight is a parameter
named ``w{layer}_{row}_{col}`` (layer 1-based, indices 0-based).

The ranks of the Jacobian on each stratum and the records of the command
``strata`` live in :mod:`verify.sub_in_crit.stratum_rank`, whose ``strata_records`` is the
stable entry point for the rest of the suite.

EXAMPLES::

    sage: from verify.core.architecture import Architecture
    sage: from verify.sub_in_crit.strata import Stratum, strata_containing
    sage: a = Architecture.parse("2,2,1")
    sage: [s.name for s in strata_containing(a, [[[1, 2], [2, 4]], [[1, 1]]])]
    ['C_{1,0,1}']
    sage: [s.name for s in strata_containing(a, [[[0, 0], [1, 3]], [[1, 0]]])]
    ['A_{1,0}', 'B_{1,1}', 'C_{1,0,1}']
    sage: s = Stratum("C", 1, (0, 1))
    sage: s.codim(a), s.ideal(a).gens()
    (1, [-w1_0_1*w1_1_0 + w1_0_0*w1_1_1])
    sage: R, W = s.parametrisation(a)
    sage: W[0]
    [[w1_0_0, w1_0_1], [w1_0_0*c, w1_0_1*c]]
    sage: s.contains(s.random_point(a, seed=1)), s.ideal(a).dimension() == a.params - s.codim(a)
    (True, True)
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import combinations

from ..core.errors import InputError

__all__ = ["Stratum", "KINDS", "subnetwork_strata", "strata_containing", "is_subnetwork",
           "representative_strata", "weight_names", "weight_ring", "input_names"]

#: The kinds of strata, in the order records list them.
KINDS = ("A", "B", "C", "C'")


def weight_names(arch) -> list[str]:
    """Names ``w{layer}_{row}_{col}`` of the N weights, in the flat order of :mod:`verify.core.weights`."""
    return [f"w{l}_{i}_{j}" for l, (rows, cols) in enumerate(arch.layer_shapes, start=1)
            for i in range(rows) for j in range(cols)]


def input_names(count: int) -> list[str]:
    """Names ``y_k`` of free inputs adjoined after the parameters (kernel-vector identities)."""
    return [f"y_{k}" for k in range(count)]


def weight_ring(arch, base=None, inputs: int = 0):
    """The polynomial ring of the weight space, one variable per weight (default over QQ),
    then ``inputs`` free inputs y_k."""
    from sage.all import QQ, PolynomialRing
    return PolynomialRing(QQ if base is None else base, weight_names(arch) + input_names(inputs),
                          order="degrevlex")


@dataclass(frozen=True)
class Stratum:
    """One stratum: ``kind`` in 'A', 'B', 'C', "C'"; hidden ``layer`` l; ``neurons`` (i,) or (i, j)."""

    kind: str
    layer: int
    neurons: tuple[int, ...]

    def __post_init__(self):
        if self.kind not in KINDS:
            raise InputError(f"stratum kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        want = 1 if self.kind in ("A", "B") else 2
        if len(self.neurons) != want or (want == 2 and self.neurons[0] == self.neurons[1]):
            raise InputError(f"stratum {self.kind} needs {want} distinct neuron(s), got {self.neurons}")

    @property
    def name(self) -> str:
        return f"{self.kind}_{{{self.layer}," + ",".join(map(str, self.neurons)) + "}"

    def check(self, arch):
        """Raise InputError unless the stratum exists in ``arch``."""
        if self.layer not in arch.hidden_layers:
            raise InputError(f"layer {self.layer} is not a hidden layer of {arch} (1..{arch.depth - 1})")
        if max(self.neurons) >= arch.widths[self.layer] or min(self.neurons) < 0:
            raise InputError(f"neurons {self.neurons} out of range for layer {self.layer} of {arch}")

    # --- membership ---------------------------------------------------------------
    def contains(self, weights) -> bool:
        """Exact membership of a weight point (entries in any field)."""
        l = self.layer
        if self.kind == "A":
            return all(v == 0 for v in weights[l - 1][self.neurons[0]])
        if self.kind == "B":
            return all(row[self.neurons[0]] == 0 for row in weights[l])
        i, j = self.neurons
        if not _proportional(weights[l - 1][i], weights[l - 1][j]):
            return False
        if self.kind == "C'":
            return _proportional([row[i] for row in weights[l]], [row[j] for row in weights[l]])
        return True

    # --- algebra ------------------------------------------------------------------
    def codim(self, arch) -> int:
        """Codimension in the weight space (MATH.md section 3)."""
        self.check(arch)
        d = arch.widths
        l = self.layer
        return {"A": d[l - 1], "B": d[l + 1], "C": d[l - 1] - 1,
                "C'": d[l - 1] - 1 + d[l + 1] - 1}[self.kind]

    def ideal(self, arch, ring=None):
        """Defining ideal in :func:`weight_ring`: linear (A, B) or 2x2 minors (C, C')."""
        from sage.all import matrix
        self.check(arch)
        R = weight_ring(arch) if ring is None else ring
        w = R.gens()
        l = self.layer
        rows_l, cols_l = arch.layer_shapes[l - 1]
        rows_n = arch.layer_shapes[l][0]
        row = lambda i: [w[arch.weight_index(l, i, k)] for k in range(cols_l)]
        col = lambda i: [w[arch.weight_index(l + 1, k, i)] for k in range(rows_n)]
        if self.kind == "A":
            gens = row(self.neurons[0])
        elif self.kind == "B":
            gens = col(self.neurons[0])
        else:
            i, j = self.neurons
            gens = matrix(R, [row(i), row(j)]).minors(2)
            if self.kind == "C'":
                gens += matrix(R, [col(i), col(j)]).minors(2)
        return R.ideal([g for g in gens if g != 0] or [R.zero()])

    def fixed_coordinates(self, arch) -> list[int]:
        """Flat indices of the weights the parametrisation does not keep as parameters."""
        l = self.layer
        cols_l = arch.layer_shapes[l - 1][1]
        rows_n = arch.layer_shapes[l][0]
        i = self.neurons[0]
        if self.kind == "A":
            return [arch.weight_index(l, i, k) for k in range(cols_l)]
        if self.kind == "B":
            return [arch.weight_index(l + 1, k, i) for k in range(rows_n)]
        j = self.neurons[1]
        out = [arch.weight_index(l, j, k) for k in range(cols_l)]
        if self.kind == "C'":
            out += [arch.weight_index(l + 1, k, j) for k in range(rows_n)]
        return out

    def parameter_names(self, arch) -> list[str]:
        """Names of the parametrisation's parameters: the kept weights, then c (C, C') and e (C')."""
        self.check(arch)
        fixed = set(self.fixed_coordinates(arch))
        names = [n for k, n in enumerate(weight_names(arch)) if k not in fixed]
        return names + {"A": [], "B": [], "C": ["c"], "C'": ["c", "e"]}[self.kind]

    def parametrisation(self, arch, base=None, inputs: int = 0):
        """``(R, W)``: the parameter ring R (over QQ by default; ``inputs`` free inputs y_k
        adjoined after the parameters) and weights over R on the stratum."""
        from sage.all import QQ, PolynomialRing
        names = self.parameter_names(arch)
        R = PolynomialRing(QQ if base is None else base, names + input_names(inputs))
        return R, self.evaluate(arch, dict(zip(names, R.gens())), R.zero())

    def evaluate(self, arch, values: dict, zero=0) -> list:
        """Weights (nested lists) at parameter ``values`` (a dict name -> value)."""
        from ..core.weights import unflatten
        fixed = set(self.fixed_coordinates(arch))
        flat = [zero if k in fixed else values[n] for k, n in enumerate(weight_names(arch))]
        l = self.layer
        i = self.neurons[0]
        if self.kind in ("C", "C'"):
            j = self.neurons[1]
            c = values["c"]
            for k in range(arch.layer_shapes[l - 1][1]):
                flat[arch.weight_index(l, j, k)] = c * flat[arch.weight_index(l, i, k)]
            if self.kind == "C'":
                e = values["e"]
                for k in range(arch.layer_shapes[l][0]):
                    flat[arch.weight_index(l + 1, k, j)] = e * flat[arch.weight_index(l + 1, k, i)]
        return unflatten(arch, flat)

    def random_parameters(self, arch, seed: int, bound: int = 10 ** 6) -> dict:
        """Seeded integer parameter values, uniform in [-bound, bound], nonzero c and e."""
        rng = random.Random(f"{int(seed)}:{self.name}")
        values = {}
        for n in self.parameter_names(arch):
            v = 0
            while v == 0:
                v = rng.randint(-bound, bound)
            values[n] = v
        return values

    def random_point(self, arch, seed: int, bound: int = 10 ** 6) -> list:
        """A seeded random integer point of the stratum (nested lists, W_1 first)."""
        return self.evaluate(arch, self.random_parameters(arch, seed, bound))


def _proportional(u, v) -> bool:
    return all(u[a] * v[b] - u[b] * v[a] == 0 for a in range(len(u)) for b in range(a + 1, len(u)))


def subnetwork_strata(arch) -> list[Stratum]:
    """Every stratum (component candidate of Sub), layer by layer: A's, B's, then C's."""
    out = []
    for l in arch.hidden_layers:
        n = arch.widths[l]
        out += [Stratum("A", l, (i,)) for i in range(n)]
        out += [Stratum("B", l, (i,)) for i in range(n)]
        out += [Stratum("C", l, ij) for ij in combinations(range(n), 2)]
    return out


def representative_strata(arch) -> list[tuple[Stratum, int]]:
    """One stratum per (layer, kind) with how many strata it stands for.

    Permuting the neurons of a hidden layer is a linear symmetry of Phi that maps
    the strata of one (layer, kind) onto each other (proofs/strata.md, section 1),
    so neurons (0,) or (0, 1) represent them all.  C' is listed only when
    d_{l+1} >= 2: for d_{l+1} = 1 every point of C already lies in C'.
    """
    out = []
    for l in arch.hidden_layers:
        n = arch.widths[l]
        out += [(Stratum("A", l, (0,)), n), (Stratum("B", l, (0,)), n)]
        if n >= 2:
            pairs = n * (n - 1) // 2
            out.append((Stratum("C", l, (0, 1)), pairs))
            if arch.widths[l + 1] >= 2:
                out.append((Stratum("C'", l, (0, 1)), pairs))
    return out


def strata_containing(arch, weights) -> list[Stratum]:
    """The strata the point lies on (empty: not a subnetwork)."""
    return [s for s in subnetwork_strata(arch) if s.contains(weights)]


def is_subnetwork(arch, weights) -> bool:
    """True when the point lies in Sub."""
    return any(s.contains(weights) for s in subnetwork_strata(arch))
