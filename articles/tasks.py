from articles import search_jobs  # noqa: F401 (the worker's autodiscovery registers its jobs)
