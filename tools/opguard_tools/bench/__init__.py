"""Benchmarks run by ``opguard bench``."""
