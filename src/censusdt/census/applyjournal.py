"""The org apply journal: a JSON-lines file of the writes begun and done, so a killed run resumes."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

__all__ = ["ApplyJournal"]


class ApplyJournal:
    """Records each write before it is sent (``begin``) and after DingTalk confirmed it (``done``).

    A run that finishes writes a ``complete`` line; the next run on the same file then starts a
    fresh journal. A run that was killed leaves the file open-ended, and the next run reads it.
    Writes marked ``done`` are skipped with their recorded results. Writes marked ``begin`` but
    never ``done`` may have reached DingTalk, so the executor looks for their effect before
    sending them again. ``path`` None keeps the journal in memory only.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.done: dict[str, dict[str, Any]] = {}
        self.begun: set[str] = set()
        self.resumed = False
        self._lock = threading.Lock()
        if self.path is not None and self.path.exists():
            self._load(self.path)

    def _load(self, path: Path) -> None:
        done: dict[str, dict[str, Any]] = {}
        begun: set[str] = set()
        complete = False
        lines = path.read_text(encoding="utf-8").splitlines()
        for line_number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                # A run killed mid-write leaves a partial last line; everything before it counts.
                if line_number == len(lines):
                    break
                raise ValueError(
                    f"{path}:{line_number}: not a journal line: {line[:80]!r}"
                ) from None
            state = entry.get("state")
            if state == "complete":
                complete = True
                done, begun = {}, set()
            elif state == "begin":
                complete = False
                begun.add(entry["op"])
            elif state == "done":
                complete = False
                done[entry["op"]] = entry.get("result") or {}
        if complete:
            # The previous run finished; this run starts a new journal.
            path.write_text("", encoding="utf-8")
            return
        self.done, self.begun = done, begun
        self.resumed = bool(done or begun)

    def is_done(self, op: str) -> bool:
        return op in self.done

    def result(self, op: str) -> dict[str, Any]:
        return self.done.get(op, {})

    def was_begun(self, op: str) -> bool:
        """True when a previous run began ``op`` and may or may not have completed it."""
        return op in self.begun and op not in self.done

    def begin(self, op: str) -> None:
        self.begun.add(op)
        self._write({"state": "begin", "op": op})

    def finish(self, op: str, result: dict[str, Any] | None = None) -> None:
        self.done[op] = result or {}
        self._write({"state": "done", "op": op, "result": result or {}})

    def complete(self) -> None:
        """Mark the run finished: the next run on this file starts afresh."""
        self._write({"state": "complete"})

    def _write(self, entry: dict[str, Any]) -> None:
        if self.path is None:
            return
        entry["time"] = round(time.time(), 3)
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self._lock, self.path.open("a", encoding="utf-8") as file:
            file.write(line)
            file.flush()
