"""opguard: a streaming guard against off-platform communication and payment."""

__version__ = "0.1.0"
