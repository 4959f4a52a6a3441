# Databricks notebook source
# MAGIC %md
# MAGIC Gate of the data-quality alert's job: whether every table the alert's query reads exists.
# MAGIC A pipeline publishes its event log table on its first update, so after a fresh deploy
# MAGIC the query would fail (TABLE_OR_VIEW_NOT_FOUND), fail the job and page on-call for
# MAGIC pipelines that have simply not run yet. This task sets the task value `ready`
# MAGIC ("true" or "false"); a condition task lets the alert be evaluated only when it is "true",
# MAGIC and the job run succeeds either way, naming what is missing in this task's output.
# MAGIC https://docs.databricks.com/aws/en/dlt/observability#event-log (event_log: published on update)
# MAGIC https://docs.databricks.com/aws/en/jobs/task-values

# COMMAND ----------

dbutils.widgets.text("tables", "", "Tables the alert's query reads, comma-separated catalog.schema.table")
tables = [name.strip() for name in dbutils.widgets.get("tables").split(",") if name.strip()]
if not tables:
    raise ValueError("the tables widget names no table: the gate would let the alert run unchecked")

# COMMAND ----------

missing = [name for name in tables if not spark.catalog.tableExists(name)]
if missing:
    print(f"not ready: {len(missing)} of {len(tables)} table(s) not published yet: {', '.join(missing)}")
else:
    print(f"ready: all {len(tables)} table(s) exist")
dbutils.jobs.taskValues.set(key="ready", value="false" if missing else "true")
