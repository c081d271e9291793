"""The catalogue of a sweep: TOML ``[defaults]`` and ``[[case]]`` tables -> sorted
:class:`CaseSpec` lists, every value checked for type and range.

Serves proofs/README.md (the theorem checked case by case: which cases).  A catalogue
entry has ``arch``, ``degrees`` (an integer, a list or a text like ``2-6``, counted by
:mod:`verify.core.cost` before a list is built) and optional ``method``, ``timeout``,
``quick``, ``seed``, ``prime``, ``note``; ``[defaults]`` holds any of these keys for every
entry (an entry's own value wins; :func:`load_catalogue`, :func:`expand_cases`).

Issue 22 (proofs/activations.md): ``activations`` (a list of polynomials in t, taking the
place of ``degrees``; default the monomial t^r of each listed degree) and ``biases`` (a list
of booleans, default ``[false]``) make a case (architecture, activation, biases).  The
monomial t^r without biases is the case (architecture, r) of the theorem, with the same
spec and cache key as ever; any other is a *general* case (``CaseSpec.activation`` its
canonical text, ``CaseSpec.degree`` = deg s).  A case
whose timeout nobody names stops after ``DEFAULT_TIMEOUT`` (60) seconds, so no catalogue
runs for ever; a ``timeout`` is seconds, > 0 and at most 7 days.

EXAMPLES::

    sage: from verify.run.catalogue import CaseSpec, expand_cases
    sage: s = CaseSpec("2,2,1", 3)
    sage: s.key() == CaseSpec("2,2,1", 3, seed=0).key() != CaseSpec("2,2,1", 4).key()
    True
    sage: [c.label for c in expand_cases([{"arch": "2,2,1", "degrees": "2-3"}])]
    ['2,2,1 r=2', '2,2,1 r=3']
    sage: [c.label for c in expand_cases([{"arch": "2,2,1", "activations": ["t^2", "t+t^2"],
    ....:                                   "biases": [False, True]}])]
    ['2,2,1 r=2', '2,2,1 s=t^2, biases', '2,2,1 s=t^2 + t', '2,2,1 s=t^2 + t, biases']
    sage: CaseSpec("2,2,1", 2, activation="t^2").key() == CaseSpec("2,2,1", 2).key()
    True
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..core.architecture import Architecture, check_degree, parse_degrees
from ..core.errors import InputError

__all__ = ["CaseSpec", "load_catalogue", "expand_cases", "DEFAULT_CATALOGUE", "METHODS",
           "DEFAULT_MEMORY_GIB", "DEFAULT_TIMEOUT", "case_label", "record_label"]

#: The catalogue ``make verify`` runs.
DEFAULT_CATALOGUE = Path(__file__).resolve().parent / "catalogue.toml"

#: Converse methods a catalogue may name ("none" skips the converse).
METHODS = ("auto", "symbolic", "exhaustive", "slice", "none")

_ENTRY_KEYS = {"arch", "degrees", "method", "timeout", "quick", "seed", "prime", "note",
               "activations", "biases"}

#: Most activations one catalogue entry may list.
MAX_ACTIVATIONS = 64


#: Seconds per case when neither the entry, the catalogue's ``[defaults]`` nor ``--timeout``
#: names a timeout (the default catalogue's value): a case of a user catalogue stops too.
DEFAULT_TIMEOUT = 60.0

#: Address space of a case process, GiB (``--memory-limit``): past it the case is an
#: ``error`` with reason ``memory limit``.
DEFAULT_MEMORY_GIB = 6.0


@dataclass(frozen=True)
class CaseSpec:
    """The inputs of one case; ``timeout`` (seconds) and ``quick`` steer the sweep only.

    ``activation`` (a polynomial in t) and ``biases`` make a general case (issue 22); they are
    normalised: the monomial t^r without biases is ``activation=None`` with ``degree = r`` (the
    theorem's case, its key unchanged), any other activation is kept as its canonical text and
    ``degree`` becomes deg s (a monomial with biases keeps ``activation='t^r'``)."""

    arch: str
    degree: int
    seed: int = 0
    prime: int | None = None
    method: str = "auto"
    timeout: float | None = field(default=None, compare=False)
    quick: bool = field(default=False, compare=False)
    memory_gib: float | None = field(default=None, compare=False)
    activation: str | None = None
    biases: bool = False

    def __post_init__(self):                       # plain Python values: keys are JSON
        object.__setattr__(self, "arch", str(Architecture.parse(self.arch)))
        if not isinstance(self.biases, bool):
            raise InputError(f"biases must be true or false, got {self.biases!r}"[:200])
        if self.activation is not None or self.biases:
            from ..core.activation import Activation, parse_activation
            s = parse_activation(self.activation) if self.activation is not None \
                else Activation.monomial(check_degree(int(self.degree)))
            general = self.biases or s.monomial_power is None
            object.__setattr__(self, "activation", s.canonical() if general else None)
            object.__setattr__(self, "degree", s.degree)
        object.__setattr__(self, "degree", check_degree(int(self.degree)))
        object.__setattr__(self, "seed", int(self.seed))
        object.__setattr__(self, "prime", None if self.prime is None else int(self.prime))
        object.__setattr__(self, "method", str(self.method))
        object.__setattr__(self, "timeout", None if self.timeout is None else float(self.timeout))
        object.__setattr__(self, "quick", bool(self.quick))
        if self.memory_gib is None:
            object.__setattr__(self, "memory_gib", DEFAULT_MEMORY_GIB)

    @property
    def general(self) -> bool:
        """A general case (a non-monomial activation, or biases), not the theorem's (d, r)."""
        return self.activation is not None

    @property
    def label(self) -> str:
        return case_label(self.arch, self.degree, self.activation, self.biases)

    def inputs(self) -> dict:
        out = {"arch": self.arch, "degree": self.degree, "seed": self.seed,
               "prime": self.prime, "method": self.method}
        if self.general:                           # monomial keys stay as they were
            out.update(activation=self.activation, biases=self.biases)
        return out

    def key(self, suite: str | None = None) -> str:
        """sha256 of the inputs and the suite version: the cache key."""
        if suite is None:
            from ..theorem.case import suite_version
            suite = suite_version()
        text = json.dumps({**self.inputs(), "suite": suite}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:24]

    def sort_key(self):
        return (tuple(Architecture.parse(self.arch).widths), self.degree, self.activation or "",
                self.biases, self.seed, self.method, self.prime or 0)


def case_label(arch, degree, activation=None, biases=False) -> str:
    """'2,2,1 r=3' for the monomial case, '2,2,1 s=t^2 + t, biases' for a general one."""
    if activation is None:
        return f"{arch} r={degree}"
    return f"{arch} s={activation}" + (", biases" if biases else "")


def record_label(rec: dict) -> str:
    """:func:`case_label` of a case record (a general record carries ``activation``)."""
    return case_label(rec.get("arch"), rec.get("degree"), rec.get("activation"),
                      bool(rec.get("biases")))


def _activations(value, where: str) -> list:
    """The ``activations`` of an entry: a non-empty list of polynomial texts in t, each read by
    :func:`verify.core.activation.parse_activation` (one-line InputError otherwise)."""
    from ..core.activation import parse_activation
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise InputError(f"{where}: activations must be a non-empty list of polynomials in t, "
                         f"like [\"t^2 + t\", \"t^3\"]")
    if len(value) > MAX_ACTIVATIONS:
        raise InputError(f"{where}: more than {MAX_ACTIVATIONS} activations (limit)")
    if not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: activations must be texts, like \"t^3 + t^2\"")
    return [parse_activation(v, f"{where}: activation") for v in value]


def _biases(value, where: str) -> list[bool]:
    """The ``biases`` of an entry: true, false, or a non-empty list of them."""
    if isinstance(value, bool):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, bool) for v in value):
        raise InputError(f"{where}: biases must be a list of true/false, like [false, true], "
                         f"got {value!r}"[:200])
    return sorted(set(value))


def _degrees(value, where: str) -> list[int]:
    """Degrees of a catalogue entry: an int, a list of ints or a range text; counted
    (and bounded by MAX_DEGREES) before any list is built."""
    from ..core.cost import check_degree_count, count_degrees
    if isinstance(value, bool):
        raise InputError(f"{where}: degrees must be an integer, a list or a text like 2-6")
    if isinstance(value, int):
        return [check_degree(value)]
    if isinstance(value, list):
        check_degree_count(len(value))
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            raise InputError(f"{where}: degrees must be a list of integers")
        return [check_degree(v) for v in value]
    if isinstance(value, str):
        check_degree_count(count_degrees(value))
        return parse_degrees(value)
    raise InputError(f"{where}: degrees must be an integer, a list or a text like 2-6")


def _check_entry(e: dict, where: str) -> dict:
    """Types and ranges of one catalogue entry (defaults merged), as plain values."""
    from ..core.cost import MAX_TIMEOUT, check_number
    arch = e["arch"]
    if isinstance(arch, list):
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in arch):
            raise InputError(f"{where}: arch must be a text like 2,3,1 or a list of integers")
    elif not isinstance(arch, str):
        raise InputError(f"{where}: arch must be a text like 2,3,1 or a list of integers")
    out = {"arch": str(Architecture.parse(arch))}
    method = e.get("method", "auto")
    if not isinstance(method, str) or method not in METHODS:
        raise InputError(f"{where}: method must be one of {', '.join(METHODS)}")
    out["method"] = method
    seed = e.get("seed", 0)
    out["seed"] = check_number(seed, f"{where}: seed", 0, 2 ** 63 - 1, integer=True)
    timeout = e.get("timeout", DEFAULT_TIMEOUT)
    out["timeout"] = float(check_number(timeout, f"{where}: timeout", 0, MAX_TIMEOUT,
                                        strict_minimum=True))
    prime = e.get("prime")
    if prime is not None:
        if isinstance(prime, bool) or not isinstance(prime, int):
            raise InputError(f"{where}: prime must be an integer, got {prime!r}"[:200])
        from ..core.rank import check_prime
        try:
            prime = check_prime(prime)
        except InputError as err:
            raise InputError(f"{where}: {err}")
    out["prime"] = prime
    quick = e.get("quick", False)
    if not isinstance(quick, bool):
        raise InputError(f"{where}: quick must be true or false, got {quick!r}"[:200])
    out["quick"] = quick
    if not isinstance(e.get("note", ""), str):
        raise InputError(f"{where}: note must be a text")
    return out


def expand_cases(entries, defaults=None) -> list[CaseSpec]:
    """Catalogue entries (dicts) -> sorted, de-duplicated list of CaseSpec."""
    from ..core.cost import MAX_CASES
    if defaults is None:
        defaults = {}
    if not isinstance(defaults, dict):
        raise InputError("catalogue [defaults] must be a table")
    unknown = set(defaults) - _ENTRY_KEYS
    if unknown:
        raise InputError(f"catalogue [defaults]: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    if not isinstance(entries, list):
        raise InputError("catalogue cases must be a list of [[case]] tables")
    out = {}
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise InputError(f"catalogue entry {n} must be a table")
        unknown = set(entry) - _ENTRY_KEYS
        if unknown:
            raise InputError(f"catalogue entry {n}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        e = {**defaults, **entry}
        where = f"catalogue entry {n}"
        if "degrees" in e and "activations" in e:  # the entry's own key wins over [defaults]
            own = {"degrees", "activations"} & set(entry)
            if len(own) != 1:
                raise InputError(f"{where}: give degrees or activations, not both")
            e.pop(({"degrees", "activations"} - own).pop())
        if "arch" not in e or ("degrees" not in e and "activations" not in e):
            raise InputError(f"catalogue entry {n} needs 'arch' and 'degrees' (or 'activations')")
        c = _check_entry(e, where)
        if "activations" in e:
            cases = [(s.degree, s.text) for s in _activations(e["activations"], where)]
        else:
            cases = [(r, None) for r in _degrees(e["degrees"], where)]
        for r, text in cases:
            for b in _biases(e.get("biases", [False]), where):
                spec = CaseSpec(c["arch"], r, c["seed"], c["prime"], c["method"], c["timeout"],
                                c["quick"], activation=text, biases=b)
                out[spec] = spec
                if len(out) > MAX_CASES:
                    raise InputError(f"more than {MAX_CASES} cases in one sweep (limit)")
    return sorted(out.values(), key=CaseSpec.sort_key)


def load_catalogue(path) -> tuple[str, list[CaseSpec]]:
    """(name, cases) of a TOML catalogue: ``[defaults]`` and ``[[case]]`` tables."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"catalogue {path} does not exist")
    except IsADirectoryError:
        raise InputError(f"catalogue {path} is a directory, not a TOML file")
    except OSError as e:
        raise InputError(f"catalogue {path} cannot be read: {e.strerror or e}")
    if len(raw) > 10 ** 7:
        raise InputError(f"catalogue {path} is larger than 10 MB (limit)")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise InputError(f"catalogue {path} is not UTF-8 text (byte {e.start})")
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"catalogue {path} is not valid TOML: {e}")
    except RecursionError:
        raise InputError(f"catalogue {path} nests too deeply")
    unknown = set(data) - {"name", "defaults", "case"}
    if unknown:
        raise InputError(f"catalogue {path}: unknown top-level key(s) {', '.join(sorted(unknown))}")
    entries = data.get("case", [])
    if not isinstance(entries, list) or not entries:
        raise InputError(f"catalogue {path} has no [[case]] entries")
    name = data.get("name", path.stem)
    if not isinstance(name, str):
        raise InputError(f"catalogue {path}: name must be a text")
    return name, expand_cases(entries, data.get("defaults"))
