# Databricks notebook source
# Moves the files that the stage load has staged from the landing folder to the volume's
# archive folder, so the landing folder holds only unprocessed files. Safe to re-run: a
# file already moved is no longer in the landing folder, and one that was copied but not
# yet deleted by an interrupted run is copied again (same content) and then deleted.
# A file that was never staged stays where it is, whatever its name.

# COMMAND ----------

dbutils.widgets.text("catalog", "")
dbutils.widgets.text("landing_path", "")
dbutils.widgets.text("staging_table", "")

catalog = dbutils.widgets.get("catalog")
landing_path = dbutils.widgets.get("landing_path")
staging_table = dbutils.widgets.get("staging_table")

if not landing_path.startswith("/Volumes/") or not landing_path.endswith("/incoming/"):
    raise ValueError(f"landing_path must be a volume's incoming folder, got {landing_path!r}")
archive_path = landing_path[: -len("incoming/")] + "archive/"

# COMMAND ----------

staged = {
    row.source_file
    for row in spark.sql(
        "SELECT DISTINCT source_file FROM IDENTIFIER(:table) WHERE startswith(source_file, :prefix)",
        args={"table": f"{catalog}.{staging_table}", "prefix": landing_path},
    ).collect()
}


def volume_path(path: str) -> str:
    """dbutils.fs lists volume files as dbfs:/Volumes/…; the stage load records /Volumes/…."""
    return path.removeprefix("dbfs:")


moved = 0
for entry in dbutils.fs.ls(landing_path):
    if entry.isFile() and volume_path(entry.path) in staged:
        dbutils.fs.mv(entry.path, archive_path + entry.name)
        moved += 1

print(f"archived {moved} of {len(staged)} staged files from {landing_path} to {archive_path}")
