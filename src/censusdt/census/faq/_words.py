"""Word segmentation with jieba, extended with census vocabulary and kept quiet."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

import jieba

# jieba reports dictionary loading on stderr through its own logger at DEBUG level. Loading the
# router must not print, so that logger only passes warnings and errors.
jieba.setLogLevel(logging.WARNING)


class Segmenter:
    """A private jieba tokenizer, so words added here never change the global `jieba.cut`."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._tokenizer = jieba.Tokenizer()
        self._lock = threading.Lock()
        self._ready = False
        self._words = tuple(dict.fromkeys(word for word in words if word))
        self._vocabulary = frozenset(self._words)

    def _ensure_ready(self) -> None:
        # jieba builds its prefix dictionary on first use (about half a second); do it once.
        with self._lock:
            if not self._ready:
                self._tokenizer.initialize()
                for word in self._words:
                    self._tokenizer.add_word(word, freq=200_000)
                self._ready = True

    def is_added_word(self, word: str) -> bool:
        """Return whether `word` is one of the words this segmenter was given (a named concept)."""
        return word in self._vocabulary

    def words(self, text: str) -> list[str]:
        """Segment text that is already normalised (no punctuation or spaces)."""
        self._ensure_ready()
        return [word for word in self._tokenizer.lcut(text, HMM=True) if word.strip()]
