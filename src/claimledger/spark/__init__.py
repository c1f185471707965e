"""The pipeline on Apache Spark: ``claimledger spark ingest|extract|link`` (and ``claimledger import``).

What runs where, and why the ledger comes out the same as the plain CLI's:

- **ingest**: the input files are parallelized as a list of paths; each task parses its files with the same
  ``read_file`` the CLI uses (parsing HTML is most of ingest's cost). Deduplication (exact and MinHash near
  duplicates) and the batched writes stay on the driver, in file order, as in the CLI's process pool, so the
  same inputs give the same articles, ids and duplicates. The paths must be readable at the same path on every
  executor (a shared file system; local files under ``local[*]``).
- **extract**: the driver reads the articles not yet extracted from the store, cuts them into the batches of
  ``extract.pipeline.BATCH_SIZE`` the CLI cuts, and Spark spreads the batches over the executors; each Python
  worker extracts with ``Extractor(settings).extract_batch`` (the models loaded once per worker process and kept
  while Spark reuses the worker). Extractions come back in input order and are written in batches by the driver.
- **extract --out DIR**: nothing goes through the driver: each task reads its files and extracts their
  articles, and the rows are written as Parquet. ``claimledger import DIR --db URL`` then loads them into any
  store, deduplicating on the way exactly as ``ingest`` does, and writing the extractions of the kept articles.
- **link**: actors are resolved on the driver, batch by batch; statements are prepared in the executors, paired
  through their blocking keys in a shuffle, split into groups that never meet each other's claims, and each group
  is linked in the executors in the plain job's order (``claimledger.spark.link``). The driver writes the
  results batch by batch, as the plain job does.
"""
