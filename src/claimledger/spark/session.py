"""The Spark session the claimledger jobs run in."""

from __future__ import annotations

import os
import sys

DEFAULT_MASTER = "local[*]"


def spark_session(master: str = DEFAULT_MASTER, app_name: str = "claimledger"):
    """A Spark session on ``master`` (``local[*]``, ``local[2]``, ``spark://host:7077``, ``yarn``...), its Python
    workers running this interpreter unless ``PYSPARK_PYTHON`` says otherwise, so that they import the same
    claimledger and models. The web UI is off and Spark's own log is kept to errors."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("pyspark is not installed: pip install 'claimledger[spark]'") from exc
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    session = (SparkSession.builder.master(master).appName(app_name)
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.python.worker.reuse", "true")  # one model load per worker, not per task
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    return session
