"""Sub in Crit: the subnetwork strata, membership, the rank on each stratum (kernel vectors,
subnetwork bounds) and the criticality of a point.  Imports only from ``verify.core``
(DEVELOPING.md, "Layout")."""
