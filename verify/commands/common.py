"""Arguments shared by the subcommands and plain-text rendering of their results.

Every input is checked here, at the boundary, before anything is computed: the
architecture, the degree, the seed, and the cost guard (:mod:`verify.core.cost`),
which refuses from the inputs alone a Jacobian beyond the documented limits unless
``--allow-large`` is given.
"""

from __future__ import annotations

import stat
from pathlib import Path

from ..core.architecture import Architecture, check_degree, parse_degrees
from ..core.cost import MAX_TIMEOUT, check_cost, check_number
from ..core.errors import InputError

__all__ = ["add_case_arguments", "add_allow_large", "case_from", "degree_from", "activation_from", "general_case_from",
           "add_activation_arguments", "check_seed", "check_timeout",
           "check_memory", "render_mapping", "parse_degrees", "read_weights_argument", "check_point", "MAX_SEED",
           "MAX_MEMORY_GIB"]

#: Seeds are integers in [0, MAX_SEED] (numpy's SeedSequence takes no negative seed).
MAX_SEED = 2 ** 63 - 1
#: Largest ``--memory-limit`` (GiB) of a case process.
MAX_MEMORY_GIB = 4096.0


def add_allow_large(p):
    p.add_argument("--allow-large", action="store_true",
                   help="lift the size limits of the cost guard (10^7 Jacobian entries, "
                        "8*10^9 bits; see verify/core/cost.py)")


def add_case_arguments(p, degree=True, prime=True, seed=True, activation=False):
    p.add_argument("arch", help="widths d_0,...,d_L, e.g. 2,3,2,1")
    if degree and activation:
        p.add_argument("--degree", "-r", default=None,
                       help="activation degree r >= 1 (s = t^r); or give --activation")
        add_activation_arguments(p)
    elif degree:
        p.add_argument("--degree", "-r", required=True, help="activation degree r >= 1")
    if prime:
        p.add_argument("--prime", "-p", default=None, help="word-size prime for modular ranks")
    if seed:
        p.add_argument("--seed", type=int, default=0, help="seed of every random draw (default 0)")
    add_allow_large(p)


def add_activation_arguments(p):
    """``--activation POLY`` and ``--biases`` (issue 22; proofs/activations.md)."""
    from ..core.activation import MAX_ACTIVATION_DEGREE
    p.add_argument("--activation", default=None, metavar="POLY",
                   help="activation s(t), a polynomial in t with rational coefficients, e.g. "
                        f"'t^3+t^2' or '1/2*t^2+t' (degree 1..{MAX_ACTIVATION_DEGREE}); it takes the "
                        "place of --degree; 't^r' without --biases is the monomial network")
    p.add_argument("--biases", action="store_true",
                   help="add biases b_1..b_L (the output layer too): q_l = W_l s(q_{l-1}) + b_l")


def activation_from(args):
    """(Activation, biases) from ``--degree``/``--activation``/``--biases``, or None when the
    case is the monomial network t^r without biases (then :func:`case_from` applies unchanged,
    with ``args.degree`` set to r). InputError unless exactly one of --degree, --activation."""
    from ..core.activation import Activation, parse_activation
    text, degree, biases = getattr(args, "activation", None), args.degree, bool(getattr(args, "biases", False))
    if text is None and degree is None:
        raise InputError("the following arguments are required: --degree/-r or --activation")
    if text is not None and degree is not None:
        raise InputError("give --degree or --activation, not both (the degree of s takes the place of --degree)")
    if text is None:
        if not biases:
            return None
        try:
            r = check_degree(int(str(degree).strip()))
        except ValueError:
            raise InputError(f"activation degree must be an integer >= 1, got {str(degree)[:40]!r}")
        return Activation.monomial(r), True
    s = parse_activation(text)
    if s.monomial_power is not None and not biases:
        args.degree = str(s.monomial_power)
        return None
    return s, biases


def general_case_from(args, activation, biases, modular=False):
    """The Architecture of a general-activation case, with the seed and the cost guard checked."""
    from ..core.general_rank import check_general_cost
    arch = Architecture.parse(args.arch)
    if hasattr(args, "seed"):
        check_seed(args.seed)
    check_general_cost(arch, activation, biases, modular=modular,
                       allow_large=getattr(args, "allow_large", False))
    return arch


def check_seed(seed, name="--seed"):
    if seed is None:
        return None
    return check_number(seed, name, 0, MAX_SEED, integer=True)


def check_timeout(value, name="--timeout", allow_zero=False):
    """A finite number of seconds, > 0 (>= 0 with ``allow_zero``), at most MAX_TIMEOUT."""
    if value is None:
        return None
    return check_number(value, name, 0, MAX_TIMEOUT, strict_minimum=not allow_zero)


def check_memory(value, name="--memory-limit"):
    """GiB of address space for a case process: finite, > 0, at most MAX_MEMORY_GIB."""
    if value is None:
        return None
    return check_number(value, name, 0, MAX_MEMORY_GIB, strict_minimum=True)


def degree_from(text) -> int:
    """The activation degree of a ``--degree`` argument, an integer >= 1, else InputError."""
    try:
        r = int(str(text).strip())
    except ValueError:
        raise InputError(f"activation degree must be an integer >= 1, got {str(text)[:40]!r}")
    return check_degree(r)


def case_from(args, modular=False):
    """(Architecture, degree) from parsed arguments, validated, within the cost guard
    (``modular``: the evaluation Jacobian of the modular generic rank, else the exact one)."""
    arch = Architecture.parse(args.arch)
    r = degree_from(args.degree)
    if hasattr(args, "seed"):
        check_seed(args.seed)
    check_cost(arch, r, modular=modular, allow_large=getattr(args, "allow_large", False))
    return arch, r


def read_weights_argument(text):
    """The JSON text of a ``--weights`` argument: the argument itself, or for ``@FILE`` the
    content of FILE (a regular file of at most MAX_WEIGHTS_TEXT bytes, UTF-8); InputError
    naming the file otherwise. The text is then read by verify.core.weights.parse_weights."""
    from ..core.weights import MAX_WEIGHTS_TEXT
    if not isinstance(text, str) or not text.startswith("@"):
        return text
    name = text[1:]
    shown = repr(name[:200])
    if not name:
        raise InputError("--weights @FILE needs a file name after @")
    try:
        info = Path(name).stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"--weights file {shown} is not a regular file")
        if info.st_size > MAX_WEIGHTS_TEXT:
            raise InputError(f"--weights file {shown} has {info.st_size} bytes "
                             f"(limit MAX_WEIGHTS_TEXT = {MAX_WEIGHTS_TEXT})")
        with open(name, "rb") as f:
            data = f.read(MAX_WEIGHTS_TEXT + 1)
    except (OSError, ValueError) as e:
        if isinstance(e, InputError):
            raise
        why = getattr(e, "strerror", None) or str(e)
        raise InputError(f"--weights file {shown} cannot be read ({str(why)[:80]})")
    if len(data) > MAX_WEIGHTS_TEXT:
        raise InputError(f"--weights file {shown} has more than MAX_WEIGHTS_TEXT = {MAX_WEIGHTS_TEXT} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"--weights file {shown} is not UTF-8 text")


def check_point(arch, r, weights, K=None, allow_large=False):
    """The cost guard at a parsed point (verify.core.cost.check_point_cost): the largest
    numerator or denominator of its entries' coefficients plus that of the minimal
    polynomial of K (None or QQ: rational entries), and the degree of K."""
    from ..core.cost import check_point_cost

    def bits(q):
        return max(int(q.numerator().nbits()), int(q.denominator().nbits()))
    over_field = K is not None and K.degree() > 1
    coefficients = (lambda v: K(v).list()) if over_field else (lambda v: [v])
    entry = max([bits(c) for M in weights for row in M for v in row for c in coefficients(v)] + [0])
    if over_field:
        entry += max(bits(c) for c in K.polynomial().list())
    return check_point_cost(arch, r, entry, K.degree() if over_field else 1, allow_large)


def render_mapping(result: dict) -> str:
    width = max(len(k) for k in result)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in result.items())
