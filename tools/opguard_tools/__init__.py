"""opguard's development tools: the demo, the benchmarks, replay and tail, and the
process helper the integration tests share.  A distribution of its own
(``tools/pyproject.toml``), installed by ``make install`` and not into the production
image: the worker needs none of it, nor its dependencies (rich, psutil)."""
