"""See ``streams.bench``: the message generator now lives in ``opguard_tools``."""

from opguard_tools.bench.detector import generate

__all__ = ["generate"]
