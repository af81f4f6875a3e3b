"""Load a landing folder into the warehouse's raw schema with nothing lost.

* Every file is read with declared column types (``sources.py``); rows that cannot be
  read go to ``raw.load_quarantine`` with file, row, line, reason and raw content.
* Every file is recorded in ``raw.load_audit`` (hash, rows read / loaded /
  quarantined, status); ``read = loaded + quarantined`` for every file.
* A file whose path and content hash were loaded before is skipped: re-loading an
  unchanged landing folder writes nothing.
* Files in one folder form one delivery. When any file of a delivery is new or
  changed, the delivery's slices (for billing data: billing account x billing
  period) are replaced, and the change is kept in
  ``raw.load_slice_history``; slices whose rows are already loaded unchanged are
  kept as they were (``_keep_unchanged_slices``).
* A load is one transaction: a delivery refused by a guard leaves nothing of the
  run written.
* Bad files (empty, not UTF-8, unknown format or FOCUS version, missing required
  columns, unreadable) stop the run before anything is written, with coded errors.

Modules: ``loader`` (discovery, deliveries, the run's transaction), ``plan`` (the
preflight of each file), ``parse`` (typed reading, quarantine reasons),
``slices`` (slice replacement and its guards), ``files`` (bytes: hash, encoding,
line endings, CSV header, manifests), ``sql`` (quoting, date layouts).
"""

from itfm.load.loader import Loader, LoadResult, load

__all__ = ["LoadResult", "Loader", "load"]
