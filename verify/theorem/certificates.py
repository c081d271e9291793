"""Certificates ordered by strength, and the certificate of a combination of parts.

Serves DEVELOPING.md ("Conventions": every result carries a certificate) and the verdicts
of :mod:`verify.theorem.case` and :mod:`verify.theorem.threshold`: a chain of checks is
never stronger than its weakest certificate; a failure needs one piece of evidence and
carries the strongest.

EXAMPLES::

    sage: from verify.theorem.certificates import weakest_certificate, case_certificate
    sage: weakest_certificate(["proved-over-Q", "exhaustive-GF(p)", "exact"])
    'exhaustive-GF(p)'
    sage: case_certificate(["kernel-vectors", "proved-over-Q"]), case_certificate(["exact", "probabilistic"])
    ('proved-over-Q', 'probabilistic')
"""

from __future__ import annotations

__all__ = ["weakest_certificate", "strongest_certificate", "case_certificate"]

#: Certificates from strongest to weakest (DEVELOPING.md, "Conventions").
_CERTIFICATE_ORDER = ("proved-over-Q", "exact", "function-field", "kernel-vectors",
                      "subnetwork-reduction", "exhaustive-GF(p)", "probabilistic", "lower-bound",
                      "sampled-lower-bound")
#: Certificates that are proofs over Q (exact arithmetic, no sampling).
_PROOFS = {"proved-over-Q", "exact", "function-field", "kernel-vectors", "subnetwork-reduction"}


def weakest_certificate(certificates) -> str | None:
    """The weakest of the given certificates (unknown names count as weakest)."""
    rank = {c: i for i, c in enumerate(_CERTIFICATE_ORDER)}
    certs = [c for c in certificates if c]
    if not certs:
        return None
    return max(certs, key=lambda c: (rank.get(_certificate_family(c), len(rank)), c))


def strongest_certificate(certificates) -> str | None:
    """The strongest of the given certificates: ``proved-over-Q`` if any is a proof over Q."""
    certs = [c for c in certificates if c]
    if any(c in _PROOFS for c in certs):
        return "proved-over-Q"
    rank = {c: i for i, c in enumerate(_CERTIFICATE_ORDER)}
    return min(certs, key=lambda c: (rank.get(_certificate_family(c), len(rank)), c)) if certs else None


def case_certificate(certificates) -> str | None:
    """The certificate of a case verdict: ``proved-over-Q`` when every part is a proof over Q,
    else the weakest part's certificate."""
    certs = [c for c in certificates if c]
    if not certs:
        return None
    if all(c in _PROOFS for c in certs):
        return "proved-over-Q"
    return weakest_certificate(certs)


def _certificate_family(c: str) -> str:
    return "exhaustive-GF(p)" if str(c).startswith("exhaustive-GF(") else str(c)
