"""The subnetwork strata A (dead), B (disconnected), C (duplicate) and membership in Sub.

Serves proofs/strata.md (definitions of MATH.md section 3): for a hidden layer l
and neurons i != j of it,
A_{l,i}: row i of W_l is zero; B_{l,i}: column i of W_{l+1} is zero;
C_{l,i,j}: rows i and j of W_l are proportional.  Sub is their union.

EXAMPLES::

    sage: from verify.architecture import Architecture
    sage: from verify.strata import strata_containing
    sage: a = Architecture.parse("2,2,1")
    sage: [s.name for s in strata_containing(a, [[[1, 2], [2, 4]], [[1, 1]]])]
    ['C_{1,0,1}']
    sage: [s.name for s in strata_containing(a, [[[0, 0], [1, 3]], [[1, 0]]])]
    ['A_{1,0}', 'B_{1,1}', 'C_{1,0,1}']
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

__all__ = ["Stratum", "subnetwork_strata", "strata_containing", "is_subnetwork"]


@dataclass(frozen=True)
class Stratum:
    """One stratum: ``kind`` in 'A', 'B', 'C', hidden ``layer`` l, ``neurons`` (i,) or (i, j)."""

    kind: str
    layer: int
    neurons: tuple[int, ...]

    @property
    def name(self) -> str:
        return f"{self.kind}_{{{self.layer}," + ",".join(map(str, self.neurons)) + "}"

    def contains(self, weights) -> bool:
        """Exact membership of a weight point (entries in any field)."""
        l = self.layer
        if self.kind == "A":
            return all(v == 0 for v in weights[l - 1][self.neurons[0]])
        if self.kind == "B":
            return all(row[self.neurons[0]] == 0 for row in weights[l])
        i, j = self.neurons
        u, v = weights[l - 1][i], weights[l - 1][j]
        return all(u[a] * v[b] - u[b] * v[a] == 0 for a in range(len(u)) for b in range(a + 1, len(u)))


def subnetwork_strata(arch) -> list[Stratum]:
    """Every stratum of the architecture, layer by layer: A's, B's, then C's."""
    out = []
    for l in arch.hidden_layers:
        n = arch.widths[l]
        out += [Stratum("A", l, (i,)) for i in range(n)]
        out += [Stratum("B", l, (i,)) for i in range(n)]
        out += [Stratum("C", l, ij) for ij in combinations(range(n), 2)]
    return out


def strata_containing(arch, weights) -> list[Stratum]:
    """The strata the point lies on (empty: not a subnetwork)."""
    return [s for s in subnetwork_strata(arch) if s.contains(weights)]


def is_subnetwork(arch, weights) -> bool:
    """True when the point lies in Sub."""
    return any(s.contains(weights) for s in subnetwork_strata(arch))
