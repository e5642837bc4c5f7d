"""Moved to ``opguard_tools.bench`` (tools/, not a runtime package): only the
``detector`` name below remains, for ``tests/detection/test_phone_regions.py``; delete
this package once that test imports ``opguard_tools.bench.detector``."""
