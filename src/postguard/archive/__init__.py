"""Past posts from the archives networks give their users, checked in bulk.

Plain Python, no Django: :mod:`postguard.archive.readers` reads the archives,
:mod:`postguard.archive.audit` checks every item with the engine (in-process or
on a Dask cluster) and writes the report.
"""

from postguard.archive.items import ArchiveItem, ReadProblem
from postguard.archive.readers import ArchiveError, read_archive, read_archives

__all__ = ["ArchiveError", "ArchiveItem", "ReadProblem", "read_archive", "read_archives"]
