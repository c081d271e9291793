"""Bounded reading of the rational and polynomial expressions a user may type (issue 23).

Every weight entry written as a string (``"1/2"``, ``"1/2*a+3"``), every ``--field`` minimal
polynomial and every entry or minimal polynomial of a witness read back from a results.json
goes through :func:`parse`: a tokenizer and a recursive-descent parser build a small tree
and, on the way up, an upper bound on the expanded polynomial -- its degree in ``a`` and the
bits of a common denominator and of every numerator. The text is refused (InputError, one
line naming the limit) as soon as a bound passes a limit below, before any arithmetic; only
a tree within the limits is evaluated, exactly, in the caller's ring (:func:`evaluate`).
So ``a^(10^9)``, ``(a+1)^100000``, ``"1e999999999"``, ``10^10^9`` or ten thousand nested
parentheses cost microseconds and no memory, where expanding them exhausted it.

Grammar (``^`` and ``**`` are powers, right-associative; exponents are constant integers
0..MAX_EXPONENT; division only by a nonzero rational constant)::

    sum     := product (('+' | '-') product)*
    product := unary (('*' | '/') unary)*
    unary   := ('+' | '-')* power
    power   := atom (('^' | '**') unary)?
    atom    := NUMBER | 'a' | '(' sum ')'          NUMBER: 12, 1.5, 3e-4 (decimal, exact)

Bounds (proofs/README.md, "Conventions": the bound is on the expansion, checked before
it): for a polynomial with degree d, a common denominator at most 2^e and numerators below 2^h,
a sum has h = max(h1 + e2, h2 + e1) + 1 and e = e1 + e2; a product h = h1 + h2 + log2(min(d1,
d2) + 1) and d = d1 + d2, e = e1 + e2; a k-th power h = k (h1 + log2(d1 + 1)), e = k e1, d = k d1
(every coefficient of f^k is at most (sum of |coefficients|)^k).

EXAMPLES::

    sage: from verify.core.expressions import rational, polynomial, number_field, parse
    sage: rational("1/2 + 3e-1"), rational("2^10")
    (4/5, 1024)
    sage: polynomial("(a+1)^3 - 1/2*a")
    a^3 + 3*a^2 + 5/2*a + 1
    sage: K, P = number_field("a^2+6"); K
    Number Field in a with defining polynomial a^2 + 6
    sage: parse("(a+1)^100000")
    Traceback (most recent call last):
    ...
    InputError: expression '(a+1)^100000': exponent 100000 is above MAX_EXPONENT = 1000
"""

from __future__ import annotations

import re
from collections import namedtuple
from fractions import Fraction

from .errors import InputError

__all__ = ["parse", "evaluate", "rational", "polynomial", "field_element", "number_field",
           "Bound", "MAX_EXPRESSION_TEXT", "MAX_LITERAL_DIGITS", "MAX_EXPONENT", "MAX_DEGREE",
           "MAX_COEFFICIENT_BITS", "MAX_NESTING", "MAX_FIELD_DEGREE", "MAX_WITNESS_FIELD_DEGREE"]

#: Longest expression text (characters).
MAX_EXPRESSION_TEXT = 2000
#: Most digits of one number literal, counting a decimal exponent: 1e999 has 1000.
MAX_LITERAL_DIGITS = 1000
#: Largest exponent after ^ or ** (a constant integer >= 0).
MAX_EXPONENT = 1000
#: Largest degree in a of the expanded polynomial (upper estimate, at every step).
MAX_DEGREE = 1000
#: Most bits of a common denominator and of every numerator of the expansion (upper estimate).
MAX_COEFFICIENT_BITS = 4096
#: Deepest nesting of parentheses, signs and powers.
MAX_NESTING = 100
#: Largest degree of a ``--field`` a user types.
MAX_FIELD_DEGREE = 16
#: Largest degree of a witness's field read back from a results.json (the slicing method's
#: field limit, verify.crit_in_sub.slicing.SLICE_LIMITS["field_degree"]).
MAX_WITNESS_FIELD_DEGREE = 80

#: Upper estimate of an expanded polynomial: degree in a, bits of numerators, of the denominator.
Bound = namedtuple("Bound", "degree num_bits den_bits")

_TOKEN = re.compile(r"\s*(?:(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<var>[A-Za-z_]\w*)"
                    r"|(?P<op>\*\*|[-+*/^()]))", re.ASCII)


def _short(text) -> str:
    return repr(str(text)[:40])


class _Parser:
    """Recursive descent over the tokens; every node is (kind, ..., Bound)."""

    def __init__(self, text: str, variable, what: str):
        self.text, self.variable, self.what = text, variable, what
        self.tokens = self._tokenize(text)
        self.i = 0
        self.depth = 0

    def fail(self, why: str):
        raise InputError(f"{self.what} {_short(self.text)}: {why}")

    def _tokenize(self, text):
        out, pos = [], 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                if text[pos:].strip() == "":
                    break
                self.fail(f"unexpected character {text[pos]!r} (a polynomial in {self.variable} with rational "
                          f"coefficients, like 1/2*{self.variable}+3)" if self.variable else
                          f"unexpected character {text[pos]!r} (an integer or rational like 2/3)")
            kind = m.lastgroup
            out.append((kind, m.group(kind)))
            pos = m.end()
        return out

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def enter(self):
        self.depth += 1
        if self.depth > MAX_NESTING:
            self.fail(f"nests deeper than MAX_NESTING = {MAX_NESTING} levels")

    def check(self, b: Bound) -> Bound:
        if b.degree > MAX_DEGREE:
            self.fail(f"its expansion may have degree up to {b.degree} in {self.variable}, above MAX_DEGREE = {MAX_DEGREE}")
        if max(b.num_bits, b.den_bits) > MAX_COEFFICIENT_BITS:
            self.fail(f"its expansion may have coefficients of {max(b.num_bits, b.den_bits)} bits, "
                      f"above MAX_COEFFICIENT_BITS = {MAX_COEFFICIENT_BITS}")
        return b

    # grammar ------------------------------------------------------------------------------

    def sum(self):
        node = self.product()
        terms, b = [("+", node)], node[-1]
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            right = self.product()
            b2 = right[-1]
            b = self.check(Bound(max(b.degree, b2.degree),
                                 max(b.num_bits + b2.den_bits, b2.num_bits + b.den_bits) + 1,
                                 b.den_bits + b2.den_bits))
            terms.append((op, right))
        return node if len(terms) == 1 else ("sum", terms, b)

    def product(self):
        node = self.unary()
        factors, b = [("*", node)], node[-1]
        while self.peek() in (("op", "*"), ("op", "/")):
            op = self.take()[1]
            right = self.unary()
            b2 = right[-1]
            if op == "*":
                b = Bound(b.degree + b2.degree,
                          b.num_bits + b2.num_bits + min(b.degree, b2.degree).bit_length(),
                          b.den_bits + b2.den_bits)
            else:
                if b2.degree > 0:
                    self.fail(f"divides by a polynomial in {self.variable}; only rational constants may divide")
                b = Bound(b.degree, b.num_bits + b2.den_bits, b.den_bits + b2.num_bits)
            self.check(b)
            factors.append((op, right))
        return node if len(factors) == 1 else ("product", factors, b)

    def unary(self):
        sign = 1
        while self.peek() in (("op", "+"), ("op", "-")):
            if self.take()[1] == "-":
                sign = -sign
        self.enter()
        node = self.power()
        self.depth -= 1
        return ("neg", node, node[-1]) if sign < 0 else node

    def power(self):
        base = self.atom()
        if self.peek() not in (("op", "^"), ("op", "**")):
            return base
        self.take()
        self.enter()
        exponent = self.unary()
        self.depth -= 1
        e = exponent[-1]
        if e.degree > 0:
            self.fail(f"an exponent must be a constant integer, not a polynomial in {self.variable}")
        try:
            k = _evaluate_constant(exponent)
        except ZeroDivisionError:
            self.fail("division by zero")
        if k.denominator != 1 or not 0 <= k <= MAX_EXPONENT:
            shown = str(k) if len(str(k)) < 30 else f"{str(k)[:20]}..."
            self.fail(f"exponent {shown} is " + (f"above MAX_EXPONENT = {MAX_EXPONENT}" if k > MAX_EXPONENT
                                                  else "not an integer >= 0"))
        k = int(k)
        b1 = base[-1]
        b = Bound(k * b1.degree, max(1, k * (b1.num_bits + b1.degree.bit_length())), k * b1.den_bits)
        return ("^", base, k, self.check(b))

    def atom(self):
        kind, value = self.take()
        if kind == "num":
            return ("num", value, self.check(_literal_bound(self, value)))
        if kind == "var":
            if self.variable is None:
                self.fail(f"{value!r} is not a number (an integer or rational like 2/3)")
            if value != self.variable:
                self.fail(f"the only variable is {self.variable}, got {value[:20]!r}")
            return ("var", Bound(1, 1, 0))
        if (kind, value) == ("op", "("):
            self.enter()
            node = self.sum()
            self.depth -= 1
            if self.take() != ("op", ")"):
                self.fail("unbalanced parentheses")
            return node
        self.fail("unexpected end" if kind is None else f"unexpected {value!r}")


def _literal_bound(parser, text: str) -> Bound:
    """Exact bits of a number literal, once its digits (and decimal exponent) are in bounds."""
    mantissa, _, exp = text.lower().partition("e")
    whole, _, frac = mantissa.partition(".")
    too_long = f"a number literal has more than MAX_LITERAL_DIGITS = {MAX_LITERAL_DIGITS} digits"
    if len(exp.lstrip("+-")) > len(str(MAX_LITERAL_DIGITS)):
        parser.fail(too_long)
    e = int(exp) if exp else 0
    if len(whole.lstrip("0")) + len(frac) + abs(e) > MAX_LITERAL_DIGITS:
        parser.fail(too_long)
    q = Fraction(text)
    return Bound(0, abs(q.numerator).bit_length(), (q.denominator - 1).bit_length())


def _evaluate_constant(node) -> Fraction:
    """Value of a constant tree (its bounds already checked), in Python Fractions;
    ZeroDivisionError on a division by zero."""
    kind = node[0]
    if kind == "num":
        return Fraction(node[1])
    if kind == "neg":
        return -_evaluate_constant(node[1])
    if kind == "^":
        return Fraction(1) if node[2] == 0 else _evaluate_constant(node[1]) ** node[2]
    if kind == "var":
        raise ValueError("a^k with k > 0 is not a constant")
    if kind == "sum":
        return sum((_evaluate_constant(t) if op == "+" else -_evaluate_constant(t))
                   for op, t in node[1])
    out = Fraction(1)
    for op, t in node[1]:
        out = out * _evaluate_constant(t) if op == "*" else out / _evaluate_constant(t)
    return out


def parse(text, variable="a", what="expression"):
    """(tree, Bound) of ``text``: InputError naming the limit when the text is too long, is not
    an expression of the grammar above, or may expand beyond the limits. ``variable`` None:
    rational constants only."""
    text = str(text)
    if len(text) > MAX_EXPRESSION_TEXT:
        raise InputError(f"{what} has {len(text)} characters (limit MAX_EXPRESSION_TEXT = "
                         f"{MAX_EXPRESSION_TEXT})")
    p = _Parser(text, variable, what)
    if not p.tokens:
        p.fail("empty")
    tree = p.sum()
    if p.i != len(p.tokens):
        p.fail(f"unexpected {p.peek()[1]!r}")
    return tree, tree[-1]


def evaluate(tree, ring, generator=None):
    """Value of a parsed tree in ``ring`` (constants are computed in QQ, ``a`` is ``generator``);
    ZeroDivisionError on a division by zero."""
    from sage.all import QQ
    if tree[-1].degree == 0:
        return ring(QQ(_evaluate_constant(tree)))
    kind = tree[0]
    if kind == "var":
        return generator
    if kind == "neg":
        return -evaluate(tree[1], ring, generator)
    if kind == "^":
        return evaluate(tree[1], ring, generator) ** tree[2]
    if kind == "sum":
        out = ring(0)
        for op, t in tree[1]:
            out = out + evaluate(t, ring, generator) if op == "+" else out - evaluate(t, ring, generator)
        return out
    out = ring(1)
    for op, t in tree[1]:
        if op == "*":
            out = out * evaluate(t, ring, generator)
        else:
            out = out * ring(QQ(1 / _evaluate_constant(t)))
    return out


def rational(text, what="weight entry"):
    """A rational number from a text like ``"2/3"``, ``"-1.5e3"`` or ``"2^10"`` (no ``a``), in QQ."""
    from sage.all import QQ
    tree, _ = parse(text, variable=None, what=what)
    return _value(tree, QQ, None, text, what)


def polynomial(text, what="polynomial"):
    """A polynomial of QQ[a] from its text."""
    from sage.all import QQ, PolynomialRing
    P = PolynomialRing(QQ, "a")
    tree, _ = parse(text, "a", what)
    return _value(tree, P, P.gen(), text, what)


def _value(tree, ring, generator, text, what):
    try:
        return evaluate(tree, ring, generator)
    except ZeroDivisionError:
        raise InputError(f"{what} {_short(text)}: division by zero")


def field_element(value, K, what="weight entry"):
    """An element of the number field K = QQ[a]/(m) from an integer or a text polynomial in a
    (evaluated in K directly: powers are reduced modulo m as they are taken)."""
    from sage.all import ZZ
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InputError(f"over a number field, {what}s are integers or strings polynomial in a, "
                         f"got {_short(value)}")
    if isinstance(value, int):
        if abs(value).bit_length() > MAX_COEFFICIENT_BITS:
            raise InputError(f"{what} {str(value)[:20]}... has more than MAX_COEFFICIENT_BITS = "
                             f"{MAX_COEFFICIENT_BITS} bits")
        return K(ZZ(value))
    tree, _ = parse(value, "a", what)
    return _value(tree, K, K.gen(), value, what)


def number_field(text, what="--field", max_degree=MAX_FIELD_DEGREE, monic=True):
    """(K, P): the number field K = QQ[a]/(text) and P = QQ[a]; InputError unless ``text`` is a
    polynomial in a (within the limits of :func:`parse`) of degree 1..``max_degree``,
    irreducible over QQ, and monic when ``monic``."""
    from sage.all import QQ, NumberField, PolynomialRing
    text = str(text).strip()
    if not text:
        raise InputError(f"{what} must be a polynomial in a, like a^2+6")
    tree, _ = parse(text, "a", what)
    P = PolynomialRing(QQ, "a")
    m = _value(tree, P, P.gen(), text, what)
    if m.degree() < 1 or m.degree() > max_degree:
        raise InputError(f"{what} must have degree 1..{max_degree} in a, got degree {m.degree()}")
    if monic and m.leading_coefficient() != 1:
        c = m.leading_coefficient()
        raise InputError(f"{what} {_short(text)} is not monic (leading coefficient {str(c)[:20]}): "
                         f"give a monic polynomial, e.g. the minimal polynomial of {str(c)[:20]}*a")
    if not m.is_irreducible():
        raise InputError(f"{what} {_short(text)} is not irreducible over QQ")
    return NumberField(m, "a"), P

