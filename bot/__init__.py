"""Lantern: a gentle Discord bot for peer-support communities."""

__version__ = "0.1.0"
