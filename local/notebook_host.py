"""Runs a Databricks notebook (source format) locally, with python3 and its standard library only.

    python3 local/notebook_host.py --volumes <dir> [--widgets '<json object>'] <notebook.py>

The notebook is split into its cells (`# COMMAND ----------`); the cells run in order in one
namespace, a fresh `__main__` module, as on a cluster. `# MAGIC` lines are skipped: a `%md`
cell is documentation, any other magic cell (`%sql`, `%run`, `%pip`, `%sh`…) is refused
rather than silently skipped. Line numbers in tracebacks are the notebook file's own.

The namespace provides:
  dbutils.widgets.text(name, default[, label]) / get(name)
      values from --widgets (a JSON object of strings); a widget not passed has its default
  dbutils.fs.ls / cp / rm / mv / mkdirs
      over the folder given by --volumes, which stands for /Volumes. Inputs are
      `/Volumes/…` or `dbfs:/Volumes/…` paths, taken literally (not URL-decoded, so build
      paths from decoded names). `ls` answers as Databricks does: entries whose `path` is
      `dbfs:/Volumes/…` with the names URL-encoded the way a Hadoop path becomes a URI
      (`my file.csv` -> `my%20file.csv`), folders ending with `/`; size 0 for folders.
  dbutils.jobs.taskValues.set(key, value)
      sent to the parent process, which keeps the value for `{{tasks.<task>.values.<key>}}`
      references of later tasks; the value must be JSON-serializable (as on Databricks)
  spark.catalog.tableExists(name)
      asked of the parent process, which looks the table up in the local engine's catalog
      (`schema.table`, or `catalog.schema.table` of the engine's catalog; backticks allowed)
  spark.sql(query, args=None)
      sent to the parent process, which runs it on the local engine (see below). Returns a
      DataFrame-like object: collect(), first(), count(), isEmpty(); rows allow
      `row.column`, `row["column"]` and asDict().
  display(obj)
      prints it.

SQL protocol (the parent is local/notebook-runner.ts). For each spark.sql call the host writes
one JSON line to file descriptor 3:
    {"sql": "<query>", "args": {<name>: <value>} | null, "line": <notebook line of the call>}
and reads one JSON line from stdin:
    {"rows": [{<column>: <value>, …}, …]}   or   {"error": "<message>"}
An error reply raises SparkSqlError in the notebook. A task value travels the same way:
    {"taskValue": {"key": "<key>", "value": <JSON value>}}   answered by   {"ok": true}
and so does a table lookup:
    {"tableExists": "<name>"}   answered by   {"exists": true | false}
stdout and stderr stay the notebook's own.

Fault injection: LAKEHOUSE_NOTEBOOK_FAIL_AFTER_FS_OPS=<n> makes the (n+1)-th file operation
(cp, rm and mv count one each) raise InjectedFault, as a task failing mid-way would leave
things; LAKEHOUSE_NOTEBOOK_KILL_AT_FS_OP=<n> kills the process (SIGKILL) in the (n+1)-th one,
a cp after half the file is written, as a lost machine would leave things.

Exit status: 0 when every cell ran; 1 when the notebook raised (its traceback, starting at the
notebook's frames, on stderr, the exception last); 2 when the notebook cannot be run.
"""

import argparse
import json
import os
import shutil
import signal
import sys
import traceback
import types

NOTEBOOK_HEADER = "# Databricks notebook source"
CELL_SEPARATOR = "# COMMAND ----------"
FAULT_VARIABLE = "LAKEHOUSE_NOTEBOOK_FAIL_AFTER_FS_OPS"
KILL_VARIABLE = "LAKEHOUSE_NOTEBOOK_KILL_AT_FS_OP"
SQL_FD = 3


class NotebookHostError(Exception):
    """The notebook cannot be run locally (not a notebook, unsupported magic, bad arguments)."""


class SparkSqlError(Exception):
    """The local engine refused or failed a spark.sql query."""


class InjectedFault(Exception):
    """Raised by dbutils.fs when LAKEHOUSE_NOTEBOOK_FAIL_AFTER_FS_OPS is reached."""


# ---------------------------------------------------------------------------------------------
# cells


def notebook_cells(path, source):
    """The notebook's cells as (first line number, lines), MAGIC lines blanked. Refuses non-%md magic cells."""
    lines = source.splitlines()
    if not lines or lines[0].rstrip() != NOTEBOOK_HEADER:
        raise NotebookHostError(f"{path}:1: not a Databricks notebook source file (its first line must be {NOTEBOOK_HEADER!r})")
    cells = []
    start, current = 2, []
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() == CELL_SEPARATOR:
            cells.append((start, current))
            start, current = number + 1, []
        else:
            current.append(line)
    cells.append((start, current))
    result = []
    for first, cell in cells:
        magic = next((i for i, l in enumerate(cell) if l.strip()), None)
        if magic is not None and cell[magic].startswith("# MAGIC"):
            command = cell[magic][len("# MAGIC"):].strip()
            if command.startswith("%md"):
                continue
            raise NotebookHostError(f"{path}:{first + magic}: the magic cell {command.split()[0] if command else '# MAGIC'!r} is not supported by the local notebook host")
        result.append((first, ["" if l.startswith("# MAGIC") else l for l in cell]))
    return result


# ---------------------------------------------------------------------------------------------
# dbutils


class Widgets:
    def __init__(self, values):
        self._values = dict(values)
        self._defaults = {}

    def text(self, name, defaultValue="", label=None):
        self._defaults[name] = defaultValue

    def get(self, name):
        if name in self._values:
            return self._values[name]
        if name in self._defaults:
            return self._defaults[name]
        raise NotebookHostError(f"InputWidgetNotDefined: no widget named {name!r} (define it with dbutils.widgets.text or pass it)")


# Characters a Hadoop path keeps as they are when it becomes a URI (java.net.URI's path quoting):
# unreserved, punctuation and the path separators; other ASCII is %-encoded as UTF-8 bytes.
_URI_PATH_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-!.~'()*,;:$&+=/@")


def uri_path(path):
    """`path` as java.net.URI quotes a path: non-ASCII letters stay, space, %, #, ? and the like are %-encoded."""
    out = []
    for char in path:
        if char in _URI_PATH_SAFE or (ord(char) > 127 and char.isprintable() and not char.isspace()):
            out.append(char)
        else:
            out.append("".join(f"%{b:02X}" for b in char.encode("utf-8")))
    return "".join(out)


class FileInfo:
    def __init__(self, path, name, size, modificationTime):
        self.path = path
        self.name = name
        self.size = size
        self.modificationTime = modificationTime

    def isDir(self):
        return self.path.endswith("/")

    def isFile(self):
        return not self.isDir()

    def __repr__(self):
        return f"FileInfo(path={self.path!r}, name={self.name!r}, size={self.size}, modificationTime={self.modificationTime})"


class Fs:
    """dbutils.fs over a local folder standing for /Volumes."""

    def __init__(self, volumes_dir, fail_after_ops=None, kill_at_op=None):
        self._root = os.path.realpath(volumes_dir)
        self._fail_after = fail_after_ops
        self._kill_at = kill_at_op
        self._ops = 0

    def _local(self, path):
        if not isinstance(path, str):
            raise TypeError(f"path must be a string, got {path!r}")
        volume_path = path[len("dbfs:"):] if path.startswith("dbfs:/Volumes/") else path
        if not volume_path.startswith("/Volumes/"):
            raise NotebookHostError(f"{path!r}: only /Volumes/… paths exist locally (the folder given by --volumes)")
        parts = [p for p in volume_path[len("/Volumes/"):].split("/") if p]
        if any(p in (".", "..") for p in parts):
            raise NotebookHostError(f"{path!r}: . and .. are not allowed in a volume path")
        return os.path.join(self._root, *parts)

    def _volume_uri(self, local, is_dir):
        rel = os.path.relpath(local, self._root).replace(os.sep, "/")
        return "dbfs:/Volumes/" + uri_path(rel) + ("/" if is_dir else "")

    def _info(self, local):
        is_dir = os.path.isdir(local)
        stat = os.stat(local)
        name = uri_path(os.path.basename(local)) + ("/" if is_dir else "")
        return FileInfo(self._volume_uri(local, is_dir), name, 0 if is_dir else stat.st_size, int(stat.st_mtime * 1000))

    def _operation(self, what):
        """Counts a file operation; True when the process must be killed in this one."""
        if self._fail_after is not None and self._ops >= self._fail_after:
            raise InjectedFault(f"injected fault after {self._fail_after} file operation(s) ({FAULT_VARIABLE}): {what} not done")
        self._ops += 1
        return self._kill_at is not None and self._ops == self._kill_at + 1

    @staticmethod
    def _die():
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)

    def ls(self, path):
        local = self._local(path)
        if not os.path.exists(local):
            raise FileNotFoundError(f"java.io.FileNotFoundException: {path} does not exist")
        if os.path.isfile(local):
            return [self._info(local)]
        return [self._info(os.path.join(local, name)) for name in sorted(os.listdir(local))]

    def cp(self, src, dst, recurse=False):
        local_src, local_dst = self._local(src), self._local(dst)
        if not os.path.exists(local_src):
            raise FileNotFoundError(f"java.io.FileNotFoundException: {src} does not exist")
        if os.path.isdir(local_src) and not recurse:
            raise IsADirectoryError(f"{src} is a directory: pass recurse=True to copy it")
        kill = self._operation(f"cp {src} {dst}")
        if os.path.isdir(local_dst) and os.path.isfile(local_src):
            local_dst = os.path.join(local_dst, os.path.basename(local_src))
        os.makedirs(os.path.dirname(local_dst), exist_ok=True)
        if kill and os.path.isfile(local_src):
            with open(local_src, "rb") as source, open(local_dst, "wb") as target:
                data = source.read()
                target.write(data[: len(data) // 2])
            self._die()
        if os.path.isdir(local_src):
            shutil.copytree(local_src, local_dst, dirs_exist_ok=True)
        else:
            shutil.copyfile(local_src, local_dst)
        return True

    def rm(self, path, recurse=False):
        local = self._local(path)
        if not os.path.exists(local):
            return False
        if os.path.isdir(local) and not recurse and os.listdir(local):
            raise OSError(f"{path} is a non-empty directory: pass recurse=True to delete it")
        if self._operation(f"rm {path}"):
            self._die()
        if os.path.isdir(local):
            shutil.rmtree(local)
        else:
            os.remove(local)
        return True

    def mv(self, src, dst, recurse=False):
        """A rename: the file appears whole under its new name or not at all."""
        local_src, local_dst = self._local(src), self._local(dst)
        if not os.path.exists(local_src):
            raise FileNotFoundError(f"java.io.FileNotFoundException: {src} does not exist")
        if self._operation(f"mv {src} {dst}"):
            self._die()
        os.makedirs(os.path.dirname(local_dst), exist_ok=True)
        os.replace(local_src, local_dst)
        return True

    def mkdirs(self, path):
        os.makedirs(self._local(path), exist_ok=True)
        return True


class TaskValues:
    """dbutils.jobs.taskValues: set() hands the value to the parent (the job), get() is not emulated."""

    def __init__(self, channel):
        self._channel = channel

    def set(self, key, value):
        if not isinstance(key, str) or not key:
            raise NotebookHostError("dbutils.jobs.taskValues.set: key must be a non-empty string")
        try:
            json.dumps(value)
        except (TypeError, ValueError):
            raise NotebookHostError(f"dbutils.jobs.taskValues.set: the value of {key!r} is not JSON-serializable") from None
        self._channel.request({"taskValue": {"key": key, "value": value}})


class Jobs:
    def __init__(self, channel):
        self.taskValues = TaskValues(channel)


class DBUtils:
    def __init__(self, widgets, fs, channel):
        self.widgets = widgets
        self.fs = fs
        self.jobs = Jobs(channel)


# ---------------------------------------------------------------------------------------------
# spark


class Row:
    def __init__(self, values):
        object.__setattr__(self, "_values", dict(values))

    def __getattr__(self, name):
        values = object.__getattribute__(self, "_values")
        if name in values:
            return values[name]
        raise AttributeError(f"Row has no column {name!r}; its columns: {', '.join(values)}")

    def __setattr__(self, name, value):
        raise AttributeError("Row is read-only")

    def __getitem__(self, key):
        if isinstance(key, int):
            return list(self._values.values())[key]
        return self._values[key]

    def asDict(self):
        return dict(self._values)

    def __eq__(self, other):
        return isinstance(other, Row) and self._values == other._values

    def __hash__(self):
        return hash(tuple(self._values.items()))

    def __repr__(self):
        return "Row(" + ", ".join(f"{k}={v!r}" for k, v in self._values.items()) + ")"


class DataFrame:
    def __init__(self, rows):
        self._rows = [Row(r) for r in rows]

    def collect(self):
        return list(self._rows)

    def first(self):
        return self._rows[0] if self._rows else None

    def count(self):
        return len(self._rows)

    def isEmpty(self):
        return not self._rows

    def __repr__(self):
        return f"DataFrame[{len(self._rows)} rows]"


class Channel:
    """The requests to the parent process (file descriptor 3) and its replies (stdin), one at a time."""

    def __init__(self):
        self._requests = None

    def request(self, message):
        if self._requests is None:
            try:
                self._requests = os.fdopen(SQL_FD, "w", encoding="utf-8", closefd=False)
            except OSError:
                raise NotebookHostError(f"no job attached (file descriptor {SQL_FD} is not open); run the notebook through local/notebook-runner.ts") from None
        self._requests.write(json.dumps(message) + "\n")
        self._requests.flush()
        reply_line = sys.stdin.readline()
        if not reply_line:
            raise NotebookHostError("the parent process closed the connection")
        return json.loads(reply_line)


class Catalog:
    """spark.catalog: tableExists, answered by the parent process's local engine."""

    def __init__(self, channel):
        self._channel = channel

    def tableExists(self, tableName, dbName=None):
        if dbName is not None:
            tableName = f"{dbName}.{tableName}"
        if not isinstance(tableName, str) or not tableName:
            raise NotebookHostError("spark.catalog.tableExists: the table name must be a non-empty string")
        reply = self._channel.request({"tableExists": tableName})
        if "error" in reply:
            raise SparkSqlError(reply["error"])
        return bool(reply["exists"])


class Spark:
    """spark.sql over the parent process's local engine (see the module docstring for the protocol)."""

    def __init__(self, notebook_file, channel):
        self._notebook_file = notebook_file
        self._channel = channel
        self.catalog = Catalog(channel)

    def _caller_line(self):
        frame = sys._getframe(2)
        while frame is not None and frame.f_code.co_filename != self._notebook_file:
            frame = frame.f_back
        return frame.f_lineno if frame is not None else 1

    def sql(self, sqlQuery, args=None, **kwargs):
        if kwargs:
            raise NotebookHostError(f"spark.sql: {', '.join(kwargs)} not supported locally; pass named parameters as args={{...}}")
        if args is not None and not isinstance(args, dict):
            raise NotebookHostError("spark.sql: only named parameters (args as a dict) are supported locally")
        reply = self._channel.request({"sql": sqlQuery, "args": args, "line": self._caller_line()})
        if "error" in reply:
            raise SparkSqlError(reply["error"])
        return DataFrame(reply["rows"])


def display(obj):
    if isinstance(obj, DataFrame):
        for row in obj.collect():
            print(row)
    else:
        print(obj)


# ---------------------------------------------------------------------------------------------
# main


def _notebook_traceback(error, notebook_file):
    """The traceback from the first notebook frame on (the host's own frames above it are noise)."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != notebook_file:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(error), error, tb if tb is not None else error.__traceback__))


def put_site_packages_on_path():
    """
    The host starts with `python -S` (local/notebook-runner.ts): site's startup hooks, the
    `.pth` files of site-packages, do not run (on some machines they import whole libraries,
    ~50 ms a notebook run). A notebook still imports what is installed: the site-packages
    folders, the user's included, go on sys.path here, after the standard library, as site
    would put them. https://docs.python.org/3/library/site.html
    """
    if not sys.flags.no_site:
        return
    import site

    for folder in [*site.getsitepackages(), site.getusersitepackages()]:
        if folder not in sys.path and os.path.isdir(folder):
            sys.path.append(folder)


def main(argv):
    put_site_packages_on_path()
    parser = argparse.ArgumentParser(prog="notebook_host.py", description="Runs a Databricks notebook locally.")
    parser.add_argument("--volumes", required=True, help="local folder standing for /Volumes")
    parser.add_argument("--widgets", default="{}", help="JSON object of widget values")
    parser.add_argument("notebook")
    options = parser.parse_args(argv)
    try:
        widgets = json.loads(options.widgets)
        if not isinstance(widgets, dict) or not all(isinstance(v, str) for v in widgets.values()):
            raise NotebookHostError("--widgets must be a JSON object of strings")
        fail_after = os.environ.get(FAULT_VARIABLE)
        if fail_after is not None and not fail_after.isdigit():
            raise NotebookHostError(f"{FAULT_VARIABLE} must be a whole number, got {fail_after!r}")
        if not os.path.isdir(options.volumes):
            raise NotebookHostError(f"--volumes {options.volumes} is not a folder")
        with open(options.notebook, encoding="utf-8") as handle:
            source = handle.read()
        cells = notebook_cells(options.notebook, source)
    except (NotebookHostError, OSError, ValueError) as error:
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 2

    module = types.ModuleType("__main__")
    channel = Channel()
    module.__dict__.update(
        dbutils=DBUtils(Widgets(widgets), Fs(options.volumes, int(fail_after) if fail_after is not None else None, int(os.environ[KILL_VARIABLE]) if os.environ.get(KILL_VARIABLE) else None), channel),
        spark=Spark(options.notebook, channel),
        display=display,
    )
    sys.modules["__main__"] = module
    try:
        for first, lines in cells:
            code = compile("\n" * (first - 1) + "\n".join(lines) + "\n", options.notebook, "exec")
            exec(code, module.__dict__)
    except Exception as error:  # the notebook failed: the task fails with its error
        sys.stdout.flush()
        print(_notebook_traceback(error, options.notebook), end="", file=sys.stderr)
        return 1
    finally:
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
