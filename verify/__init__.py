"""Exact verification that the critical points of deep monomial networks are subnetworks.

What the package exports is listed in ``__all__`` (imported on first use, so that
``import verify`` stays light).  proofs/README.md maps every statement to the function,
command and test that check it; DEVELOPING.md maps the modules.

EXAMPLES::

    sage: import verify
    sage: a = verify.Architecture.parse("2,3,2,1")
    sage: verify.generic_rank(a, 4).certificate
    'exact'
"""

from importlib import import_module

__version__ = "0.1.0"

#: Public name -> module that defines it.
_EXPORTS = {
    "Architecture": "architecture",
    "InputError": "errors",
    "parse_weights": "weights",
    "random_weights": "weights",
    "coefficient_jacobian": "jacobian",
    "evaluation_jacobian": "jacobian",
    "jacobian_at": "jacobian",
    "generic_rank": "rank",
    "rank_over_QQ": "rank",
    "rank_mod_p": "rank",
    "classify_point": "criticality",
    "subnetwork_strata": "strata",
    "strata_containing": "strata",
    "is_subnetwork": "strata",
    "strata_records": "strata",
    "converse": "converse",
    "exhaustive_search": "exhaustive",
    "symbolic_converse": "symbolic",
    "slicing_converse": "slicing",
    "proven_threshold": "threshold",
    "empirical_threshold": "threshold",
    "summarise_degrees": "threshold",
    "run_case": "case",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'verify' has no attribute {name!r}")


def __dir__():
    return __all__ + ["__version__"]
