from articles.images.jobs import make_renditions  # noqa: F401 (the worker finds the job here)
