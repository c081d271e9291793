"""The network and its Jacobian: architecture, weights, the Jacobian (one back-propagation),
ranks (exact, mod p, batched) and the error type.  Imports nothing from the other folders
(DEVELOPING.md, "Layout")."""
