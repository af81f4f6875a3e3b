"""dbt Python models on dbt-spark's session method.

dbt-spark submits Python models only to Databricks (all-purpose or job
clusters). With the session method the SparkSession lives in the dbt process
itself, so a model's compiled code (the model function plus dbt-spark's
wrapper that writes the returned DataFrame as the table) can run right there.
`install()` adds that submission method, "session", and makes it the default;
itfm calls it before it runs dbt on the spark target (in-process).
"""

from __future__ import annotations

from typing import Any


class SessionPythonJobHelper:
    """Runs a Python model's compiled code with the active SparkSession."""

    def __init__(self, parsed_model: dict, credentials: Any) -> None:
        self.parsed_model = parsed_model
        self.credentials = credentials

    def submit(self, compiled_code: str) -> None:
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.getOrCreate()
        path = self.parsed_model.get("original_file_path", "<python model>")
        exec(  # noqa: S102 - the model's own code, compiled by dbt
            compile(compiled_code, path, "exec"),
            {"spark": spark, "__name__": "__dbt_python_model__"},
        )


def install() -> None:
    from dbt.adapters.spark.impl import SparkAdapter

    if getattr(SparkAdapter, "_itfm_session_python", False):
        return
    helpers = SparkAdapter.python_submission_helpers.fget

    def with_session(self):
        return {**helpers(self), "session": SessionPythonJobHelper}

    SparkAdapter.python_submission_helpers = property(with_session)
    SparkAdapter.default_python_submission_method = property(lambda self: "session")
    SparkAdapter._itfm_session_python = True
