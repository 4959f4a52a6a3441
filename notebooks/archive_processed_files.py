# Databricks notebook source
# Archive processed files: moves the files the stage load has staged from the landing
# folder to the archive folder, so the landing folder holds only unprocessed files.
#
# Widgets
#   landing_path   /Volumes/<catalog>/<schema>/<volume>/<folders>/ that receives the files
#   archive_path   /Volumes/…/ folder the staged files go to, outside the landing folder;
#                  empty means the landing volume's own archive/ folder
#   ledger_table   <catalog>.<schema>.<table>, the file ledger of the ingestion jobs
#                  (ops.ingested_files): a file is archived once its rows are merged
#   source         the source whose files these are, as the ledger names it
#
# Rules
#   * A file moves when it sits directly in the landing folder and its path is staged.
#     Paths are compared normalised: _metadata.file_path and dbutils.fs.ls report
#     dbfs:/Volumes/…/my%20file.csv, the widgets say /Volumes/…/my file.csv.
#   * A file that was never staged stays where it is; subfolders are not touched.
#   * The ledger knows a file by path and content (content_hash, file_size): a landing file
#     whose size matches none of the merged contents of its path is new content delivered
#     under a known name after the stage load; it stays for the next stage load to load.
#   * New content under a name the archive already holds (a re-delivery that was loaded) is
#     archived as <stem>.<first 16 hex of its content hash>.<ext>, never over the first one.
#   * Move = copy into the archive under a temporary name (<name>._COPYING_, a name Spark's
#     file listing skips: HadoopFSUtils.shouldFilterOutPathName), check its size, rename it to
#     <name>, then delete the landing copy. The run is restartable from any point, a kill -9
#     included: a leftover temporary copy is replaced, never taken for the file; when the
#     archive already holds a file of that name with the same size (renamed before the landing
#     copy was deleted), only the landing copy is deleted; when it holds a different file of
#     that name, the task fails naming both (never overwrites), before moving anything.
#   * Any error fails the task.
#
# The logic is plain functions over a small file-system interface (ArchiveFs), so the same
# code runs against dbutils.fs on Databricks and against a local folder in the local runner
# (local/notebook_host.py) and in the unit tests.

# COMMAND ----------

import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Protocol, Set, Tuple
from urllib.parse import unquote


@dataclass(frozen=True)
class FsEntry:
    """One entry of a folder listing, as ArchiveFs.ls returns it."""

    path: str
    name: str
    is_file: bool
    size: int


class ArchiveFs(Protocol):
    """What the archive needs from a file system. Paths are /Volumes/… (decoded) paths."""

    def ls(self, path: str) -> List[FsEntry]: ...

    def cp(self, src: str, dst: str) -> None: ...

    def rm(self, path: str) -> None: ...

    def mv(self, src: str, dst: str) -> None: ...

    def exists(self, path: str) -> bool: ...

    def size(self, path: str) -> Optional[int]: ...


class ArchiveError(Exception):
    """The archive cannot proceed safely; nothing is overwritten."""


_VOLUME_FOLDER = re.compile(r"^/Volumes/([^/]+)/([^/]+)/([^/]+)/(?:[^/]+/)*$")


def normalise_path(path: str) -> str:
    """The comparable form of a volume path: no dbfs: scheme, URL-decoded.

    dbfs:/Volumes/a/b/c/in/x%20y.csv and /Volumes/a/b/c/in/x y.csv both give the latter.
    """
    if path.startswith("dbfs:"):
        path = "/" + path[len("dbfs:"):].lstrip("/")
    return unquote(path)


def volume_folder(path: str, widget: str) -> str:
    """Checks that `path` is a folder inside a volume and returns it ending with /."""
    folder = path if path.endswith("/") else path + "/"
    if not _VOLUME_FOLDER.match(folder):
        raise ArchiveError(f"{widget} must be a folder inside a volume, /Volumes/<catalog>/<schema>/<volume>/…/, got {path!r}")
    if any(part in (".", "..") for part in folder.split("/")):
        raise ArchiveError(f"{widget} must not contain . or .. components, got {path!r}")
    return folder


def volume_root(folder: str) -> str:
    """/Volumes/<catalog>/<schema>/<volume>/ of a checked volume folder."""
    catalog, schema, volume = _VOLUME_FOLDER.match(folder).groups()
    return f"/Volumes/{catalog}/{schema}/{volume}/"


def default_archive_folder(landing: str) -> str:
    """The landing volume's own archive/ folder."""
    return volume_root(landing) + "archive/"


def check_folders(landing_path: str, archive_path: str) -> Tuple[str, str]:
    """The landing and archive folders, checked: both volume folders, the archive outside the landing folder."""
    landing = volume_folder(landing_path, "landing_path")
    archive = volume_folder(archive_path, "archive_path") if archive_path else default_archive_folder(landing)
    if archive.startswith(landing):
        raise ArchiveError(f"archive_path {archive} must be outside the landing folder {landing}")
    return landing, archive


STAGED_FILES_QUERY = (
    "SELECT file_path AS source_file, file_size, content_hash FROM IDENTIFIER(:table) "
    "WHERE source = :source AND merged_at IS NOT NULL AND file_path LIKE :volume_pattern ESCAPE '!'"
)


def staged_files_query(ledger_table: str, source: str, landing: str) -> Tuple[str, Dict[str, str]]:
    """The query (and its named parameters) listing the merged files of a source in the landing folder's volume.

    It reads the file ledger (one row per file), never the staged rows. The LIKE only narrows
    the rows to the volume (in any of its spellings, dbfs: or not); the exact comparison happens
    in Python on normalised paths, since the folders below the volume may be URL-encoded.
    """
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){2}", ledger_table or ""):
        raise ArchiveError(f"ledger_table must be <catalog>.<schema>.<table>, got {ledger_table!r}")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", source or ""):
        raise ArchiveError(f"source must be a source name, got {source!r}")
    root = volume_root(landing)
    escaped = re.sub(r"([!%_])", r"!\1", root)
    # a volume root with characters that would be URL-encoded cannot narrow the rows safely
    pattern = f"%{escaped}%" if re.fullmatch(r"[A-Za-z0-9_/.-]+", root) else "%"
    return STAGED_FILES_QUERY, {"table": ledger_table, "source": source, "volume_pattern": pattern}


@dataclass
class ArchivePlan:
    landing: str
    archive: str
    to_copy: List[str] = field(default_factory=list)
    """Names to copy into the archive, then delete from the landing folder."""
    to_delete: List[str] = field(default_factory=list)
    """Names an interrupted run already copied (same name, same size): only the landing copy goes."""
    left: List[str] = field(default_factory=list)
    """Names of landing files that were never staged."""
    sizes: Dict[str, int] = field(default_factory=dict)
    """Size of each landing file to copy, which its archived copy must have."""
    targets: Dict[str, str] = field(default_factory=dict)
    """Archive names that differ from the landing name (new content under a name the archive holds)."""

    def target(self, name: str) -> str:
        return self.targets.get(name, name)


# (file_size, content_hash) of each merged content of a path; None where the ledger row predates them
MergedContents = Dict[str, List[Tuple[Optional[int], Optional[str]]]]


def with_digest(name: str, digest: str) -> str:
    """The archive name of new content under a known name: the digest before the extension, which the glob of readers matches."""
    stem, dot, extension = name.rpartition(".")
    return f"{stem}.{digest[:16]}.{extension}" if dot and stem else f"{name}.{digest[:16]}"


def _child_name(folder: str, entry: FsEntry) -> Optional[str]:
    """The decoded name of `entry` (a folder's without its trailing /) when it sits directly inside `folder`."""
    path = normalise_path(entry.path)
    if not path.startswith(folder):
        return None
    name = path[len(folder):].rstrip("/")
    return name if name and "/" not in name else None


def is_hidden(name: str) -> bool:
    """Names Spark's file listing skips (HadoopFSUtils.shouldFilterOutPathName): the folder marker and the like, never counted nor moved."""
    return (name.startswith("_") and "=" not in name) or name.startswith(".") or name.endswith("._COPYING_")


def plan_archive(fs: ArchiveFs, landing: str, archive: str, staged_paths: Iterable[str], merged: Optional[MergedContents] = None) -> ArchivePlan:
    """Decides what to move, touching nothing; fails when the archive holds another file (or a folder) of a staged file's name."""
    staged: Set[str] = {normalise_path(p) for p in staged_paths if p}
    contents: MergedContents = {}
    for path, known in (merged or {}).items():
        contents.setdefault(normalise_path(path), []).extend(known)
    if not fs.exists(landing):
        raise ArchiveError(f"landing folder {landing} does not exist")
    archived: Dict[str, Optional[int]] = {}  # name -> size, None for a folder
    if fs.exists(archive):
        for entry in fs.ls(archive):
            name = _child_name(archive, entry)
            if name is not None:
                archived[name] = entry.size if entry.is_file else None
    plan = ArchivePlan(landing, archive)
    conflicts = []
    for entry in sorted(fs.ls(landing), key=lambda e: normalise_path(e.path)):
        name = _child_name(landing, entry)
        if name is None or not entry.is_file or is_hidden(name):
            continue  # subfolders and hidden files (the folder marker) are not touched
        known = contents.get(landing + name, [])
        sizes = {size for size, _ in known}
        if landing + name not in staged or (known and None not in sizes and entry.size not in sizes):
            plan.left.append(name)  # never staged, or new content under a staged name, not staged yet
            continue
        if archived.get(name, entry.size) not in (entry.size, None):
            digest = next((h for size, h in known if size == entry.size and h), None)
            if digest:
                plan.targets[name] = with_digest(name, digest)
        target = plan.target(name)
        if target not in archived:
            plan.to_copy.append(name)
            plan.sizes[name] = entry.size
        elif archived[target] == entry.size:
            plan.to_delete.append(name)
        elif archived[target] is None:
            conflicts.append(f"{archive}{target} is a folder, cannot archive {landing}{name} there")
        else:
            conflicts.append(f"{archive}{target} ({archived[target]} bytes) is a different file from {landing}{name} ({entry.size} bytes)")
    if conflicts:
        raise ArchiveError("the archive already holds other files of the staged files' names; nothing was moved and nothing is overwritten: " + "; ".join(conflicts))
    return plan


COPYING_SUFFIX = "._COPYING_"


def execute_plan(fs: ArchiveFs, plan: ArchivePlan) -> None:
    """Moves each file of the plan, in name order, restartably; the first error stops (and fails) the run."""
    for name in plan.to_delete:
        fs.rm(plan.landing + name)
    for name in plan.to_copy:
        temporary = plan.archive + plan.target(name) + COPYING_SUFFIX
        if fs.exists(temporary):
            fs.rm(temporary)  # what a killed run left half-copied
        fs.cp(plan.landing + name, temporary)
        copied = fs.size(temporary)
        if copied != plan.sizes[name]:
            raise ArchiveError(f"copying {plan.landing}{name} ({plan.sizes[name]} bytes) to {temporary} gave {copied} bytes; nothing was deleted")
        fs.mv(temporary, plan.archive + plan.target(name))
        fs.rm(plan.landing + name)


def summary(plan: ArchivePlan) -> str:
    moved = len(plan.to_copy) + len(plan.to_delete)
    resumed = f" ({len(plan.to_delete)} already copied by an interrupted run)" if plan.to_delete else ""
    return f"archived {moved} staged file(s) from {plan.landing} to {plan.archive}{resumed}; {len(plan.left)} unstaged file(s) left in place"


def archive_staged_files(fs: ArchiveFs, landing_path: str, archive_path: str, staged_paths: Iterable[str], merged: Optional[MergedContents] = None) -> ArchivePlan:
    """Checks the folders, plans, and moves the staged files of the landing folder to the archive."""
    landing, archive = check_folders(landing_path, archive_path)
    plan = plan_archive(fs, landing, archive, staged_paths, merged)
    execute_plan(fs, plan)
    return plan


# COMMAND ----------


class DbutilsFs:
    """ArchiveFs over dbutils.fs (on Databricks, or the local notebook host's stand-in)."""

    def __init__(self, dbutils_fs) -> None:
        self._fs = dbutils_fs

    def ls(self, path: str) -> List[FsEntry]:
        return [FsEntry(e.path, e.name, e.isFile(), e.size) for e in self._fs.ls(path)]

    def cp(self, src: str, dst: str) -> None:
        self._fs.cp(src, dst)

    def rm(self, path: str) -> None:
        self._fs.rm(path)

    def mv(self, src: str, dst: str) -> None:
        self._fs.mv(src, dst)

    def size(self, path: str) -> Optional[int]:
        entries = self._fs.ls(path)
        return entries[0].size if len(entries) == 1 and entries[0].isFile() else None

    def exists(self, path: str) -> bool:
        try:
            self._fs.ls(path)
            return True
        except Exception as error:  # dbutils raises a wrapped java.io.FileNotFoundException
            if isinstance(error, FileNotFoundError) or "FileNotFoundException" in str(error):
                return False
            raise


def main(dbutils, spark) -> ArchivePlan:
    for name in ("landing_path", "archive_path", "ledger_table", "source"):
        dbutils.widgets.text(name, "")
    landing, archive = check_folders(dbutils.widgets.get("landing_path"), dbutils.widgets.get("archive_path"))
    query, args = staged_files_query(dbutils.widgets.get("ledger_table"), dbutils.widgets.get("source"), landing)
    rows = spark.sql(query, args=args).collect()
    merged: MergedContents = {}
    for row in rows:
        merged.setdefault(row.source_file, []).append((None if row.file_size is None else int(row.file_size), row.content_hash))
    plan = archive_staged_files(DbutilsFs(dbutils.fs), landing, archive, [row.source_file for row in rows], merged)
    print(summary(plan))
    return plan


# COMMAND ----------

# Runs wherever the notebook runs, whatever __name__ is there (a missing dbutils fails loudly,
# never archives nothing silently); only the unit tests, which load the functions above
# under this module name, skip it.
if __name__ != "archive_processed_files_under_test":
    main(dbutils, spark)  # noqa: F821 (notebook globals)
