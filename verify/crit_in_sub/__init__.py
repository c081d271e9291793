"""Crit in Sub, the converse: the dispatcher, shared witness helpers, the charts, and one
module per method (symbolic, exhaustive, slicing).  Imports from ``verify.core`` and
``verify.sub_in_crit`` only (DEVELOPING.md, "Layout")."""
