"""Polynomial activations s(t) with rational coefficients (issue 22): reading, validating, and
the facts about s that decide which symmetries survive.

Serves proofs/activations.md, section 1 (the setting), Proposition S1 (neuron-wise symmetries
without biases: scalings survive iff s = a t^k; signs iff s is even or odd) and Proposition S2
(with biases: a one-parameter family of affine neuron-wise symmetries exists iff
s = a (t + h)^k + m, "an affine monomial"; every quadratic s is one).

A text such as ``'t^3+t^2'`` or ``'1/2*t^2+t'`` is read by the bounded parser of
:mod:`verify.core.expressions` (variable ``t``; exponents, literals and the expansion are
bounded before anything is evaluated), then refused (InputError, one line) unless it is a
polynomial in t of degree 1..MAX_ACTIVATION_DEGREE with rational coefficients.

EXAMPLES::

    sage: from verify.core.activation import Activation
    sage: s = Activation.parse("t^2 + t")
    sage: s.degree, s.monomial_power, s.is_affine_monomial, s.parity, s.constant
    (2, None, True, None, 0)
    sage: s.shift, s.offset                     # t^2 + t = (t + 1/2)^2 - 1/4
    (1/2, -1/4)
    sage: Activation.parse("t^3").monomial_power, Activation.parse("t^3 + t").parity
    (3, 'odd')
    sage: Activation.parse("sqrt(2)*t")
    Traceback (most recent call last):
    ...
    verify.core.errors.InputError: --activation 'sqrt(2)*t': the only variable is t, got 'sqrt'
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .errors import InputError

__all__ = ["Activation", "MAX_ACTIVATION_DEGREE", "parse_activation"]

#: Largest degree of an activation polynomial (the output degree is deg(s)^(L-1)).
MAX_ACTIVATION_DEGREE = 64


@dataclass(frozen=True)
class Activation:
    """s(t) = sum_j coefficients[j] t^j, coefficients exact rationals (Fractions), degree >= 1."""

    coefficients: tuple          # Fractions, index j = coefficient of t^j; last one nonzero
    text: str = ""

    @classmethod
    def parse(cls, text, what="--activation") -> "Activation":
        return parse_activation(text, what)

    @classmethod
    def monomial(cls, r: int) -> "Activation":
        return cls(tuple([Fraction(0)] * r + [Fraction(1)]), f"t^{r}")

    def __str__(self):
        return self.text or self.canonical()

    # --- facts about s (proofs/activations.md, section 2) --------------------------------------
    @property
    def degree(self) -> int:
        return len(self.coefficients) - 1

    @property
    def support(self) -> tuple:
        """Exponents j with a nonzero coefficient."""
        return tuple(j for j, c in enumerate(self.coefficients) if c != 0)

    @property
    def constant(self):
        """s(0)."""
        return _sage_rational(self.coefficients[0])

    @property
    def monomial_power(self):
        """r when s = t^r exactly (the monomial network of the theorem), else None."""
        if self.support == (self.degree,) and self.coefficients[-1] == 1:
            return self.degree
        return None

    @property
    def is_scaled_monomial(self) -> bool:
        """s = a t^k (a != 0): then s(ct) = c^k s(t), and neuron scalings survive (Prop. S1)."""
        return len(self.support) == 1

    @property
    def parity(self):
        """'even' or 'odd' when s(-t) = s(t) or -s(t), else None."""
        exps = self.support
        if all(j % 2 == 0 for j in exps):
            return "even"
        if all(j % 2 == 1 for j in exps):
            return "odd"
        return None

    def merge_order(self, biases: bool) -> int:
        """n = gcd of the differences of the exponents of p(u) = s(u - h), where with biases h is
        :attr:`shift` and the constant term is dropped (the next layer's bias absorbs it), and
        without biases h = 0 and every exponent of s counts; 0 when a single exponent is left
        (a scaled or affine monomial: proportional neurons merge, Props. S1, S2).  Two neurons
        with (row, bias + h) of j = zeta times that of i merge whenever zeta^n = 1
        (proofs/activations.md, section 4): zeta = -1 is the only other rational one, for n even."""
        from fractions import Fraction
        from math import comb, gcd
        k = self.degree
        h = Fraction(self.coefficients[k - 1]) / (k * Fraction(self.coefficients[k])) if biases else 0
        # p(u) = sum_j c_j (u - h)^j
        p = [Fraction(0)] * (k + 1)
        for j, c in enumerate(self.coefficients):
            for e in range(j + 1):
                p[e] += Fraction(c) * comb(j, e) * (-h) ** (j - e)
        exps = [e for e, c in enumerate(p) if c != 0 and (e > 0 or not biases)]
        n = 0
        for e in exps[1:]:
            n = gcd(n, e - exps[0])
        return n

    def merges_listed(self, biases: bool) -> bool:
        """Do the strata of proofs/activations.md, section 4, as the code lists them (equal rows;
        opposite rows when s is even or odd; proportional rows for a scaled or affine monomial)
        contain every merge zeta^n = 1 of :meth:`merge_order`?  False for n >= 3 (non-real zeta)
        and for n even with s neither even nor odd (a shifted parity, or a constant the bias
        absorbs, with biases)."""
        n = self.merge_order(biases)
        return n in (0, 1) or (n == 2 and self.parity is not None)

    @property
    def shift(self):
        """h = c_{k-1} / (k c_k): s(t - h) has no t^(k-1) term."""
        k = self.degree
        return _sage_rational(self.coefficients[k - 1] / (k * self.coefficients[k])) if k >= 1 else None

    @property
    def offset(self):
        """m = s(-h) (with h = :attr:`shift`)."""
        return self.value_at(-self.shift)

    @property
    def is_affine_monomial(self) -> bool:
        """s(t) = a (t + h)^k + m for rationals a, h, m and k = deg s >= 1 (Prop. S2)."""
        k = self.degree
        from sage.all import QQ, PolynomialRing
        P = PolynomialRing(QQ, "t")
        t = P.gen()
        a, h, m = self.leading, self.shift, self.offset
        return self.polynomial(P) == a * (t + h) ** k + m

    @property
    def leading(self):
        return _sage_rational(self.coefficients[-1])

    def value_at(self, t):
        out = 0
        for c in reversed(self.coefficients):
            out = out * t + _sage_rational(c)
        return out

    def polynomial(self, ring=None):
        """s as an element of ``ring`` (default QQ[t])."""
        from sage.all import QQ, PolynomialRing
        P = ring if ring is not None else PolynomialRing(QQ, "t")
        return P([_sage_rational(c) for c in self.coefficients])

    def canonical(self) -> str:
        """A normal form of s, highest power first: '1/2*t^2 + t'."""
        return str(self.polynomial())

    def denominators_lcm(self) -> int:
        from math import lcm
        return lcm(*[c.denominator for c in self.coefficients])

    # --- evaluation in the arithmetics of verify.core.jacobian ---------------------------------
    def coefficients_in(self, arithmetic, ring=None):
        """The coefficients as elements of the arithmetic: residues mod p for the modular ones
        (InputError when p divides a denominator), ``ring`` elements (default QQ) for the exact."""
        p = getattr(arithmetic, "p", None)
        if p is not None:
            out = []
            for c in self.coefficients:
                if c.denominator % p == 0:
                    raise InputError(f"prime {p} divides a denominator of the activation {self}; "
                                     f"choose another --prime")
                out.append(c.numerator * pow(c.denominator, -1, p) % p)
            return out
        from sage.all import QQ
        R = QQ if ring is None else ring
        return [R(_sage_rational(c)) for c in self.coefficients]


def _sage_rational(c):
    from sage.all import QQ
    return QQ((c.numerator, c.denominator)) if isinstance(c, Fraction) else QQ(c)


def parse_activation(text, what="--activation") -> Activation:
    """An :class:`Activation` from a text polynomial in t with rational coefficients, read by
    the bounded parser; InputError (one line) for anything else."""
    from sage.all import QQ, PolynomialRing
    from .expressions import evaluate, parse
    if isinstance(text, Activation):
        return text
    if not isinstance(text, str):
        raise InputError(f"{what} must be a text polynomial in t, like 't^3+t^2', got {str(text)[:40]!r}")
    shown = repr(text[:40])
    if not text.strip():
        raise InputError(f"{what} must be a polynomial in t with rational coefficients, like 't^3+t^2'")
    tree, _ = parse(text, variable="t", what=what)      # bounded: degree <= MAX_DEGREE etc.
    P = PolynomialRing(QQ, "t")
    try:
        s = evaluate(tree, P, P.gen())
    except ZeroDivisionError:
        raise InputError(f"{what} {shown}: division by zero")
    if s == 0:
        raise InputError(f"{what} {shown} is the zero polynomial")
    k = s.degree()
    if k < 1:
        raise InputError(f"{what} {shown} has degree {k}: an activation needs degree >= 1")
    if k > MAX_ACTIVATION_DEGREE:
        raise InputError(f"{what} {shown} has degree {k}, above MAX_ACTIVATION_DEGREE = "
                         f"{MAX_ACTIVATION_DEGREE}")
    coeffs = tuple(Fraction(int(c.numerator()), int(c.denominator())) for c in s.list())
    return Activation(coeffs, text.strip())
