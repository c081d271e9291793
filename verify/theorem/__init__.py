"""The theorem case by case: the case record and its verdict, certificates, the proven and
empirical thresholds, the catalogue of witnesses.  Imports from ``verify.core``,
``verify.sub_in_crit`` and ``verify.crit_in_sub`` only (DEVELOPING.md, "Layout")."""
