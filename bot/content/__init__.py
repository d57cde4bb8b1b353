"""Content: sources, prompts and resources from data/, validated once at start."""

from bot.content.loader import Content, ContentError, default_content_dir, load_content, summary_line

__all__ = ["Content", "ContentError", "default_content_dir", "load_content", "summary_line"]
