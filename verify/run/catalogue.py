"""The catalogue of a sweep: TOML ``[defaults]`` and ``[[case]]`` tables -> sorted
:class:`CaseSpec` lists, every value checked for type and range.

Serves proofs/README.md (the theorem checked case by case: which cases).  A catalogue
entry has ``arch``, ``degrees`` (an integer, a list or a text like ``2-6``, counted by
:mod:`verify.core.cost` before a list is built) and optional ``method``, ``timeout``,
``quick``, ``seed``, ``prime``, ``note``; ``[defaults]`` holds any of these keys for every
entry (an entry's own value wins; :func:`load_catalogue`, :func:`expand_cases`).  A case
whose timeout nobody names stops after ``DEFAULT_TIMEOUT`` (60) seconds, so no catalogue
runs for ever; a ``timeout`` is seconds, > 0 and at most 7 days.

EXAMPLES::

    sage: from verify.run.catalogue import CaseSpec, expand_cases
    sage: s = CaseSpec("2,2,1", 3)
    sage: s.key() == CaseSpec("2,2,1", 3, seed=0).key() != CaseSpec("2,2,1", 4).key()
    True
    sage: [c.label for c in expand_cases([{"arch": "2,2,1", "degrees": "2-3"}])]
    ['2,2,1 r=2', '2,2,1 r=3']
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
           "DEFAULT_MEMORY_GIB", "DEFAULT_TIMEOUT"]

#: The catalogue ``make verify`` runs.
DEFAULT_CATALOGUE = Path(__file__).resolve().parent / "catalogue.toml"

#: Converse methods a catalogue may name ("none" skips the converse).
METHODS = ("auto", "symbolic", "exhaustive", "slice", "none")

_ENTRY_KEYS = {"arch", "degrees", "method", "timeout", "quick", "seed", "prime", "note"}


#: Seconds per case when neither the entry, the catalogue's ``[defaults]`` nor ``--timeout``
#: names a timeout (the default catalogue's value): a case of a user catalogue stops too.
DEFAULT_TIMEOUT = 60.0

#: Address space of a case process, GiB (``--memory-limit``): past it the case is an
#: ``error`` with reason ``memory limit``.
DEFAULT_MEMORY_GIB = 6.0


@dataclass(frozen=True)
class CaseSpec:
    """The inputs of one case; ``timeout`` (seconds) and ``quick`` steer the sweep only."""

    arch: str
    degree: int
    seed: int = 0
    prime: int | None = None
    method: str = "auto"
    timeout: float | None = field(default=None, compare=False)
    quick: bool = field(default=False, compare=False)
    memory_gib: float | None = field(default=None, compare=False)

    def __post_init__(self):                       # plain Python values: keys are JSON
        object.__setattr__(self, "arch", str(Architecture.parse(self.arch)))
        object.__setattr__(self, "degree", check_degree(int(self.degree)))
        object.__setattr__(self, "seed", int(self.seed))
        object.__setattr__(self, "prime", None if self.prime is None else int(self.prime))
        object.__setattr__(self, "method", str(self.method))
        object.__setattr__(self, "timeout", None if self.timeout is None else float(self.timeout))
        object.__setattr__(self, "quick", bool(self.quick))
        if self.memory_gib is None:
            object.__setattr__(self, "memory_gib", DEFAULT_MEMORY_GIB)

    @property
    def label(self) -> str:
        return f"{self.arch} r={self.degree}"

    def inputs(self) -> dict:
        return {"arch": self.arch, "degree": self.degree, "seed": self.seed,
                "prime": self.prime, "method": self.method}

    def key(self, suite: str | None = None) -> str:
        """sha256 of the inputs and the suite version: the cache key."""
        if suite is None:
            from ..theorem.case import suite_version
            suite = suite_version()
        text = json.dumps({**self.inputs(), "suite": suite}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:24]

    def sort_key(self):
        return (tuple(Architecture.parse(self.arch).widths), self.degree, self.seed,
                self.method, self.prime or 0)


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
        if "arch" not in e or "degrees" not in e:
            raise InputError(f"catalogue entry {n} needs 'arch' and 'degrees'")
        where = f"catalogue entry {n}"
        c = _check_entry(e, where)
        for r in _degrees(e["degrees"], where):
            spec = CaseSpec(c["arch"], r, c["seed"], c["prime"], c["method"], c["timeout"],
                            c["quick"])
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
