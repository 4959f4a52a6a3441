"""Unit tests of the archive notebook's pure functions, over an in-memory file system.

    python3 -m unittest discover -s __tests__/local -p archive_notebook_test.py

(run by __tests__/local/archive-notebook.test.ts). The notebook is loaded as a module named
archive_processed_files_under_test, the one name under which its last cell does not run.
"""

import os
import sys
import types
import unittest

NOTEBOOK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "notebooks", "archive_processed_files.py")


def load_notebook():
    module = types.ModuleType("archive_processed_files_under_test")
    sys.modules[module.__name__] = module
    with open(NOTEBOOK, encoding="utf-8") as handle:
        exec(compile(handle.read(), NOTEBOOK, "exec"), module.__dict__)
    return module


nb = load_notebook()

LANDING = "/Volumes/cat/landing/orders/incoming/"
ARCHIVE = "/Volumes/cat/landing/orders/archive/"


def encoded(path):
    """How Databricks reports a /Volumes path: dbfs: scheme, name URL-encoded."""
    return "dbfs:" + path.replace(" ", "%20")


class MemoryFs:
    """ArchiveFs over a dict of decoded path -> content; folders are implied by the paths."""

    def __init__(self, files, fail_after=None):
        self.files = dict(files)
        self.operations = []
        self.fail_after = fail_after

    def _op(self, what):
        if self.fail_after is not None and len(self.operations) >= self.fail_after:
            raise RuntimeError(f"fault before {what}")
        self.operations.append(what)

    def ls(self, path):
        entries = {}
        for file, content in self.files.items():
            if file.startswith(path):
                head, _, rest = file[len(path):].partition("/")
                if rest:
                    entries[head] = nb.FsEntry(encoded(path + head + "/"), head + "/", False, 0)
                else:
                    entries[head] = nb.FsEntry(encoded(file), head.replace(" ", "%20"), True, len(content))
        if not entries:
            raise FileNotFoundError(path)
        return [entries[k] for k in sorted(entries)]

    def cp(self, src, dst):
        self._op(("cp", src, dst))
        self.files[dst] = self.files[src]

    def rm(self, path):
        self._op(("rm", path))
        del self.files[path]

    def mv(self, src, dst):
        self._op(("mv", src, dst))
        self.files[dst] = self.files.pop(src)

    def size(self, path):
        return len(self.files[path]) if path in self.files else None

    def exists(self, path):
        return any(f.startswith(path) for f in self.files)


class NormalisePath(unittest.TestCase):
    def test_scheme_and_encoding(self):
        self.assertEqual(nb.normalise_path("dbfs:/Volumes/a/b/c/in/x%20y.csv"), "/Volumes/a/b/c/in/x y.csv")
        self.assertEqual(nb.normalise_path("/Volumes/a/b/c/in/x y.csv"), "/Volumes/a/b/c/in/x y.csv")
        self.assertEqual(nb.normalise_path("dbfs:///Volumes/a/b/c/x.csv"), "/Volumes/a/b/c/x.csv")
        self.assertEqual(nb.normalise_path("dbfs:/Volumes/a/b/c/in/caf%C3%A9%2B1.csv"), "/Volumes/a/b/c/in/café+1.csv")


class CheckFolders(unittest.TestCase):
    def test_default_archive_is_the_volumes_archive_folder(self):
        self.assertEqual(nb.check_folders("/Volumes/c/s/v/drop/", ""), ("/Volumes/c/s/v/drop/", "/Volumes/c/s/v/archive/"))

    def test_trailing_slash_added(self):
        self.assertEqual(nb.check_folders("/Volumes/c/s/v/in", "/Volumes/c/s/w/done"), ("/Volumes/c/s/v/in/", "/Volumes/c/s/w/done/"))

    def test_refusals(self):
        for landing, archive, message in [
            ("dbfs:/Volumes/c/s/v/in/", "", "landing_path must be a folder inside a volume"),
            ("/tmp/in/", "", "landing_path must be a folder inside a volume"),
            ("/Volumes/c/s/", "", "landing_path must be a folder inside a volume"),
            ("/Volumes/c/s/v/in/", "/mnt/archive/", "archive_path must be a folder inside a volume"),
            ("/Volumes/c/s/v/in/", "/Volumes/c/s/v/in/", "must be outside the landing folder"),
            ("/Volumes/c/s/v/in/", "/Volumes/c/s/v/in/done/", "must be outside the landing folder"),
            ("/Volumes/c/s/v/", "", "must be outside the landing folder"),
            ("/Volumes/c/s/v/../w/in/", "", "must not contain . or .."),
        ]:
            with self.subTest(landing=landing, archive=archive):
                with self.assertRaisesRegex(nb.ArchiveError, message):
                    nb.check_folders(landing, archive)


class StagedFilesQuery(unittest.TestCase):
    def test_named_parameters(self):
        query, args = nb.staged_files_query("cat.ops.ingested_files", "orders", "/Volumes/cat/landing/orders/in box/")
        self.assertIn("IDENTIFIER(:table)", query)
        self.assertIn("merged_at IS NOT NULL", query)
        self.assertEqual(args, {"table": "cat.ops.ingested_files", "source": "orders", "volume_pattern": "%/Volumes/cat/landing/orders/%"})

    def test_like_wildcards_escaped(self):
        _, args = nb.staged_files_query("my_cat.ops.t", "orders", "/Volumes/my_cat/landing/orders/in/")
        self.assertEqual(args["volume_pattern"], "%/Volumes/my!_cat/landing/orders/%")

    def test_refusals(self):
        with self.assertRaisesRegex(nb.ArchiveError, "ledger_table must be <catalog>.<schema>.<table>"):
            nb.staged_files_query("ops.ingested_files", "orders", LANDING)
        with self.assertRaisesRegex(nb.ArchiveError, "source must be a source name"):
            nb.staged_files_query("cat.ops.t", "", LANDING)


class ArchiveStagedFiles(unittest.TestCase):
    def test_moves_staged_files_only(self):
        fs = MemoryFs({LANDING + "a.csv": "aa", LANDING + "my file.csv": "bbb", LANDING + "new.csv": "c", LANDING + "sub/a.csv": "x"})
        plan = nb.archive_staged_files(fs, LANDING, "", [encoded(LANDING + "a.csv"), encoded(LANDING + "my file.csv"), encoded(LANDING + "sub/a.csv")])
        self.assertEqual(
            fs.files,
            {ARCHIVE + "a.csv": "aa", ARCHIVE + "my file.csv": "bbb", LANDING + "new.csv": "c", LANDING + "sub/a.csv": "x"},
        )
        self.assertEqual((plan.to_copy, plan.to_delete, plan.left), (["a.csv", "my file.csv"], [], ["new.csv"]))
        self.assertEqual(nb.summary(plan), f"archived 2 staged file(s) from {LANDING} to {ARCHIVE}; 1 unstaged file(s) left in place")

    def test_decoded_staged_paths_match_too(self):
        fs = MemoryFs({LANDING + "my file.csv": "b"})
        nb.archive_staged_files(fs, LANDING, ARCHIVE, [LANDING + "my file.csv"])
        self.assertEqual(fs.files, {ARCHIVE + "my file.csv": "b"})

    def test_retry_after_copy_only_deletes(self):
        staged = [encoded(LANDING + n) for n in ("a.csv", "b.csv")]
        fs = MemoryFs({LANDING + "a.csv": "aa", LANDING + "b.csv": "bbb"}, fail_after=1)
        with self.assertRaisesRegex(RuntimeError, "fault before"):
            nb.archive_staged_files(fs, LANDING, ARCHIVE, staged)
        self.assertEqual(fs.files, {LANDING + "a.csv": "aa", ARCHIVE + "a.csv._COPYING_": "aa", LANDING + "b.csv": "bbb"})
        fs.fail_after, fs.operations = 3, []
        with self.assertRaisesRegex(RuntimeError, "fault before"):
            nb.archive_staged_files(fs, LANDING, ARCHIVE, staged)
        self.assertEqual(fs.files, {LANDING + "a.csv": "aa", ARCHIVE + "a.csv": "aa", LANDING + "b.csv": "bbb"})
        fs.fail_after, fs.operations = None, []
        plan = nb.archive_staged_files(fs, LANDING, ARCHIVE, staged)
        self.assertEqual(fs.files, {ARCHIVE + "a.csv": "aa", ARCHIVE + "b.csv": "bbb"})
        self.assertEqual(
            fs.operations,
            [("rm", LANDING + "a.csv"), ("cp", LANDING + "b.csv", ARCHIVE + "b.csv._COPYING_"), ("mv", ARCHIVE + "b.csv._COPYING_", ARCHIVE + "b.csv"), ("rm", LANDING + "b.csv")],
        )
        self.assertEqual(plan.to_delete, ["a.csv"])

    def test_a_half_copied_file_is_replaced_not_taken_for_the_file(self):
        staged = [encoded(LANDING + "a.csv")]
        fs = MemoryFs({LANDING + "a.csv": "aaaa", ARCHIVE + "a.csv._COPYING_": "aa"})
        plan = nb.archive_staged_files(fs, LANDING, ARCHIVE, staged)
        self.assertEqual(fs.files, {ARCHIVE + "a.csv": "aaaa"})
        self.assertEqual(plan.to_copy, ["a.csv"])

    def test_a_short_copy_fails_and_deletes_nothing(self):
        class ShortFs(MemoryFs):
            def cp(self, src, dst):
                super().cp(src, dst)
                self.files[dst] = self.files[dst][:1]

        fs = ShortFs({LANDING + "a.csv": "aaaa"})
        with self.assertRaisesRegex(nb.ArchiveError, "gave 1 bytes; nothing was deleted"):
            nb.archive_staged_files(fs, LANDING, ARCHIVE, [encoded(LANDING + "a.csv")])
        self.assertIn(LANDING + "a.csv", fs.files)

    def test_different_file_in_archive_fails_before_moving_anything(self):
        fs = MemoryFs({LANDING + "a.csv": "aa", LANDING + "b.csv": "new", ARCHIVE + "b.csv": "older!"})
        with self.assertRaises(nb.ArchiveError) as raised:
            nb.archive_staged_files(fs, LANDING, ARCHIVE, [encoded(LANDING + "a.csv"), encoded(LANDING + "b.csv")])
        self.assertIn(f"{ARCHIVE}b.csv (6 bytes) is a different file from {LANDING}b.csv (3 bytes)", str(raised.exception))
        self.assertEqual(fs.operations, [])

    def test_new_content_under_an_archived_name_goes_beside_it_named_by_its_hash(self):
        digest = "0123456789abcdef" + "0" * 48
        merged = {encoded(LANDING + "b.csv"): [(6, "f" * 64), (3, digest)]}
        fs = MemoryFs({LANDING + "b.csv": "new", ARCHIVE + "b.csv": "older!"})
        plan = nb.archive_staged_files(fs, LANDING, ARCHIVE, [encoded(LANDING + "b.csv")], merged)
        self.assertEqual(fs.files, {ARCHIVE + "b.csv": "older!", ARCHIVE + "b.0123456789abcdef.csv": "new"})
        self.assertEqual(plan.targets, {"b.csv": "b.0123456789abcdef.csv"})
        # a retry after the copy was renamed only deletes the landing copy
        fs.files[LANDING + "b.csv"] = "new"
        fs.operations = []
        nb.archive_staged_files(fs, LANDING, ARCHIVE, [encoded(LANDING + "b.csv")], merged)
        self.assertEqual(fs.operations, [("rm", LANDING + "b.csv")])

    def test_content_not_merged_under_a_staged_name_stays(self):
        merged = {encoded(LANDING + "a.csv"): [(2, "a" * 64)]}
        fs = MemoryFs({LANDING + "a.csv": "newer content"})
        plan = nb.archive_staged_files(fs, LANDING, ARCHIVE, [encoded(LANDING + "a.csv")], merged)
        self.assertEqual((plan.to_copy, plan.to_delete, plan.left), ([], [], ["a.csv"]))
        self.assertEqual(fs.operations, [])

    def test_ledger_rows_without_size_archive_by_path_as_before(self):
        merged = {encoded(LANDING + "a.csv"): [(None, None)]}
        fs = MemoryFs({LANDING + "a.csv": "aa"})
        nb.archive_staged_files(fs, LANDING, ARCHIVE, [encoded(LANDING + "a.csv")], merged)
        self.assertEqual(fs.files, {ARCHIVE + "a.csv": "aa"})

    def test_with_digest_keeps_the_extension(self):
        self.assertEqual(nb.with_digest("day 1.csv", "ab" * 32), "day 1.abababababababab.csv")
        self.assertEqual(nb.with_digest("README", "ab" * 32), "README.abababababababab")
        self.assertEqual(nb.with_digest(".csv", "ab" * 32), ".csv.abababababababab")

    def test_folder_of_that_name_in_archive_fails(self):
        fs = MemoryFs({LANDING + "a.csv": "aa", ARCHIVE + "a.csv/x": "x"})
        with self.assertRaisesRegex(nb.ArchiveError, f"{ARCHIVE}a.csv is a folder"):
            nb.archive_staged_files(fs, LANDING, ARCHIVE, [encoded(LANDING + "a.csv")])

    def test_missing_landing_folder_fails(self):
        with self.assertRaisesRegex(nb.ArchiveError, "landing folder .* does not exist"):
            nb.archive_staged_files(MemoryFs({}), LANDING, ARCHIVE, [])

    def test_staged_files_of_other_folders_are_ignored(self):
        fs = MemoryFs({LANDING + "a.csv": "aa"})
        plan = nb.archive_staged_files(fs, LANDING, ARCHIVE, [encoded("/Volumes/cat/landing/orders/other/a.csv"), None])
        self.assertEqual(plan.left, ["a.csv"])
        self.assertEqual(fs.operations, [])


if __name__ == "__main__":
    unittest.main()
