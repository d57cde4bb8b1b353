"""The safety detector: pure Python, no discord import, deterministic and linear-time."""

from bot.safety.detector import LABELS, Assessment, Label, assess

__all__ = ["LABELS", "Assessment", "Label", "assess"]
