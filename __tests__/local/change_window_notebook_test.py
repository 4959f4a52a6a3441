"""Unit tests of the change-window notebook's pure functions.

    python3 -m unittest discover -s __tests__/local -p change_window_notebook_test.py

(run by __tests__/local/change-data-feed-extract.test.ts). The notebook is loaded as a module
named read_change_window_under_test, the one name under which its last cell does not run.
"""

import os
import sys
import types
import unittest

NOTEBOOK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "notebooks", "read_change_window.py")


def load_notebook():
    module = types.ModuleType("read_change_window_under_test")
    sys.modules[module.__name__] = module
    with open(NOTEBOOK, encoding="utf-8") as handle:
        exec(compile(handle.read(), NOTEBOOK, "exec"), module.__dict__)
    return module


nb = load_notebook()


class ChangeWindowTest(unittest.TestCase):
    def test_first_run_reads_from_version_zero(self):
        self.assertEqual(nb.change_window(7, None), (0, 7))

    def test_reads_from_the_version_after_the_watermark(self):
        self.assertEqual(nb.change_window(7, 4), (5, 7))

    def test_with_nothing_new_reads_the_latest_version_only(self):
        # table_changes fails on a start after the latest version; the extract keeps nothing of it
        self.assertEqual(nb.change_window(7, 7), (7, 7))

    def test_refuses_a_watermark_after_the_latest_version(self):
        with self.assertRaisesRegex(nb.ChangeWindowError, "after the table's latest version 3"):
            nb.change_window(3, 5)

    def test_quotes_a_qualified_name_and_refuses_anything_else(self):
        self.assertEqual(nb.quoted_table("cat.silver.orders", "source_table"), "`cat`.`silver`.`orders`")
        for bad in ("silver.orders", "cat.silver.orders; DROP TABLE x", "cat.`s`.t", ""):
            with self.assertRaises(nb.ChangeWindowError):
                nb.quoted_table(bad, "source_table")


if __name__ == "__main__":
    unittest.main()
