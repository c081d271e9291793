"""Exact verification that the critical points of deep monomial networks are subnetworks.

What the package exports is listed in ``__all__`` (imported on first use, so that
``import verify`` stays light).  proofs/README.md maps every statement to the function,
command and test that check it; DEVELOPING.md maps the modules.

EXAMPLES::

    sage: import verify
    sage: a = verify.Architecture.parse("2,3,2,1")
    sage: verify.generic_rank(a, 4).certificate
    'exact'
    sage: verify.generic_rank("2,3,2,1", 4).value == verify.generic_rank((2, 3, 2, 1), 4).value
    True

Every exported function whose first argument is ``arch`` accepts ``"2,3,2,1"``, a tuple
``(2, 3, 2, 1)`` or an :class:`Architecture` (the export parses it first).
"""

import functools
import inspect
from importlib import import_module

__version__ = "0.1.0"

#: Public name -> module that defines it.
_EXPORTS = {
    "Architecture": "core.architecture",
    "InputError": "core.errors",
    "parse_weights": "core.weights",
    "random_weights": "core.weights",
    "coefficient_jacobian": "core.jacobian",
    "evaluation_jacobian": "core.jacobian",
    "jacobian_at": "core.jacobian",
    "generic_rank": "core.rank",
    "proved_generic_rank": "sub_in_crit.subnetwork_rank",
    "activation_generic_rank": "sub_in_crit.activation_rank",
    "classify_general_point": "sub_in_crit.activation_rank",
    "Activation": "core.activation",
    "rank_over_QQ": "core.rank",
    "rank_mod_p": "core.rank",
    "classify_point": "sub_in_crit.criticality",
    "subnetwork_strata": "sub_in_crit.strata",
    "strata_containing": "sub_in_crit.strata",
    "is_subnetwork": "sub_in_crit.strata",
    "strata_records": "sub_in_crit.stratum_rank",
    "converse": "crit_in_sub.converse",
    "exhaustive_search": "crit_in_sub.exhaustive",
    "symbolic_converse": "crit_in_sub.symbolic",
    "slicing_converse": "crit_in_sub.slicing",
    "proven_threshold": "theorem.threshold",
    "empirical_threshold": "theorem.case",
    "summarise_degrees": "theorem.threshold",
    "run_case": "theorem.case",
    "run_general_case": "theorem.general_case",
    "general_converse": "crit_in_sub.general_converse",
    "general_strata_records": "sub_in_crit.general_strata",
    "check_witness": "commands.check_witness",
    "witness_id": "commands.check_witness",
}

__all__ = sorted(_EXPORTS)


def _accepting_any_architecture(fn):
    """``fn`` with its first argument ``arch`` parsed by Architecture.parse (str, tuple, list)."""
    try:
        params = list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return fn
    if not params or params[0] != "arch":
        return fn

    @functools.wraps(fn)
    def wrapper(arch, *args, **kwargs):
        from .core.architecture import Architecture
        if isinstance(arch, (str, tuple, list)):
            arch = Architecture.parse(arch)
        return fn(arch, *args, **kwargs)
    return wrapper


def __getattr__(name):
    if name in _EXPORTS:
        obj = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        if inspect.isfunction(obj):
            obj = _accepting_any_architecture(obj)
        globals()[name] = obj                  # resolved once
        return obj
    raise AttributeError(f"module 'verify' has no attribute {name!r}")


def __dir__():
    return __all__ + ["__version__"]
