"""Recognition, as it was imported before it became the package `geo.recognize`.

Kept so that `from geo.extract import Recognizer, RawMention, tokenize, ACCEPT_THRESHOLD`
keeps working; new code imports from `geo.recognize` (and `RawMention` from `geo.models`).
"""

from geo.models import RawMention
from geo.recognize import ACCEPT_THRESHOLD, Recognizer, tokenize

__all__ = ["RawMention", "Recognizer", "tokenize", "ACCEPT_THRESHOLD"]
