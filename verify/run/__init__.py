"""Running the suite: resumable sweeps over the catalogue, the report and its figures
(I/O lives here and in ``verify.commands``).  Imports from the folders below it only
(DEVELOPING.md, "Layout")."""
