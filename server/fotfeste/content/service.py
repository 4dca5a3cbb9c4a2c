"""What other domains may call in content: the shipped articles (family advice, waiting-time
guidance), by locale and slug, in reading order."""

from __future__ import annotations

from fotfeste.content.library import Library, library
from fotfeste.content.logic import Article

__all__ = ["Article", "Library", "library"]
