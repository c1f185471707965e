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
- **link**: runs the existing link job (``jobs.link``) on the driver, against the store, after the distributed
  stages. It is incremental and reads the ledger through blocking keys already, but it is one process.

A distributed link (not built): the link job groups statements into claims by candidate look-ups on blocking
keys (``claims_by_keys``, ``actors_by_keys``). On Spark the same keys would be the shuffle key: emit
``(key, statement)`` for every blocking key of every new statement, ``groupByKey`` so that each group holds the
candidates that can match, score pairs inside each group (the sentence encoder loaded once per executor, as the
extractor is), and merge the accepted pairs with a connected-components pass (union-find over the pair edges,
e.g. GraphFrames, or iterated min-label propagation). Keys with too many postings are dropped as
``max_postings`` does now. Ids must then be derived from the members (the smallest statement id of a claim),
not from arrival order, for the result to equal the sequential job's.
"""
