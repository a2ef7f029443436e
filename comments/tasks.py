from comments import jobs  # noqa: F401 (the worker's autodiscovery registers its jobs)
