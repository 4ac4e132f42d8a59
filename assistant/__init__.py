"""Minute Book assistant: search and cited answers over local-government meeting records."""

__version__ = "0.1.0"
