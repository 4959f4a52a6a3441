# Databricks notebook source
# Read the change window: the table versions an incremental extract by change data feed reads
# in this run, handed to the later tasks as task values.
#
# Widgets
#   source_table      <catalog>.<schema>.<table> whose change data feed is extracted
#   watermark_table   <catalog>.<schema>.<table>, the watermark table (ops.watermarks)
#   pipeline          the incremental pipeline, as the watermark table names it
#
# Task values
#   to_version     the source's latest committed version now: start_run records it as the
#                  run's source_version_high, the extract reads up to it
#   from_version   the first version table_changes is asked for: the version after the current
#                  watermark's source_version_high (0 on the first run: the declaration
#                  enables the change data feed when it creates the table, version 0), never
#                  beyond to_version (table_changes fails on a start after the latest
#                  version), so with nothing new the extract reads one version and keeps none
#
# A commit that lands after this task read the latest version has a higher version: the next
# run reads it. Versions are read as numbers, so the extract casts them back to BIGINT (a
# string bound of table_changes is read as a timestamp).

# COMMAND ----------

import re
from typing import Optional, Tuple

QUALIFIED_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$")


class ChangeWindowError(Exception):
    """The window cannot be read (a bad widget, a table without history)."""


def quoted_table(name: str, widget: str) -> str:
    """`catalog`.`schema`.`table` from catalog.schema.table, refusing anything else (it is put into SQL text)."""
    if not QUALIFIED_NAME.match(name or ""):
        raise ChangeWindowError(f"{widget} must be <catalog>.<schema>.<table> (letters, digits, _), got {name!r}")
    return ".".join(f"`{part}`" for part in name.split("."))


def change_window(latest_version: int, watermark_version: Optional[int]) -> Tuple[int, int]:
    """(from_version, to_version) for the latest committed version and the watermark's version (None before the first success)."""
    if watermark_version is None:
        return 0, latest_version
    if watermark_version > latest_version:
        raise ChangeWindowError(f"the watermark is at version {watermark_version}, after the table's latest version {latest_version}: was the table recreated?")
    return min(watermark_version + 1, latest_version), latest_version


def main(dbutils, spark) -> Tuple[int, int]:
    for name in ("source_table", "watermark_table", "pipeline"):
        dbutils.widgets.text(name, "")
    source = quoted_table(dbutils.widgets.get("source_table"), "source_table")
    watermarks = quoted_table(dbutils.widgets.get("watermark_table"), "watermark_table")
    history = spark.sql(f"DESCRIBE HISTORY {source} LIMIT 1").collect()
    if not history:
        raise ChangeWindowError(f"{source} has no history")
    latest = int(history[0]["version"])
    current = spark.sql(
        f"SELECT max_by(source_version_high, window_high) AS version FROM {watermarks} "
        "WHERE pipeline = :pipeline AND status = 'SUCCESS' AND superseded_at IS NULL",
        args={"pipeline": dbutils.widgets.get("pipeline")},
    ).first()
    watermark = None if current is None or current["version"] is None else int(current["version"])
    window = change_window(latest, watermark)
    dbutils.jobs.taskValues.set("from_version", window[0])
    dbutils.jobs.taskValues.set("to_version", window[1])
    print(f"change window of {source}: versions {window[0]}..{window[1]} (watermark at {watermark if watermark is not None else 'none'})")
    return window


# COMMAND ----------

# Runs wherever the notebook runs; only the unit tests, which load the functions above under
# this module name, skip it.
if __name__ != "read_change_window_under_test":
    main(dbutils, spark)  # noqa: F821 (notebook globals)
