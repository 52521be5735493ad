"""Generate every ``_sync`` package under ``src/censusdt`` from its ``_async`` twin.

Run ``python tools/gen_sync.py`` after editing async code; ``--check`` exits 1 when a generated file
is missing or differs, which the test suite and CI use to catch drift.

Beyond unasync's defaults the rewrite strips the ``Async`` prefix from names (``AsyncDingTalk`` →
``DingTalk``), turns ``async_*`` helpers into ``sync_*`` and ``_async`` module paths into ``_sync``.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import tempfile
from pathlib import Path

import unasync

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "censusdt"
HEADER = (
    "# Generated from the _async package by tools/gen_sync.py; edit the async source instead.\n"
)

_REPLACEMENTS = {
    "_async": "_sync",
    "aclose": "close",
    "handle_async_request": "handle_request",
    "asynccontextmanager": "contextmanager",
}


class _Rule(unasync.Rule):  # type: ignore[misc]
    def _unasync_name(self, name: str) -> str:
        if name in _REPLACEMENTS:
            return _REPLACEMENTS[name]
        if re.fullmatch(r"Async[A-Z]\w*", name):
            return name[len("Async") :]
        if name.startswith("async_") and len(name) > len("async_"):
            return "sync_" + name[len("async_") :]
        result: str = super()._unasync_name(name)
        return result


def _async_files() -> list[Path]:
    return sorted(path for path in SOURCE.rglob("_async/**/*.py"))


def generate(output_root: Path) -> list[Path]:
    """Write the sync twins of every async file under ``output_root``; return their paths."""
    written = []
    for source in _async_files():
        relative = source.relative_to(SOURCE)
        target = output_root / Path(
            *["_sync" if part == "_async" else part for part in relative.parts]
        )
        rule = _Rule(fromdir=str(source.parent), todir=str(target.parent))
        rule._unasync_file(str(source))
        produced = Path(str(source).replace(str(source.parent), str(target.parent)))
        text = produced.read_text(encoding="utf-8")
        produced.write_text(HEADER + text, encoding="utf-8")
        written.append(produced)
    return written


def check() -> int:
    """Compare freshly generated files with the committed ones; print a diff for each mismatch."""
    with tempfile.TemporaryDirectory() as directory:
        fresh_root = Path(directory)
        problems = 0
        for fresh in generate(fresh_root):
            committed = SOURCE / fresh.relative_to(fresh_root)
            expected = fresh.read_text(encoding="utf-8")
            actual = committed.read_text(encoding="utf-8") if committed.exists() else ""
            if expected != actual:
                problems += 1
                diff = difflib.unified_diff(
                    actual.splitlines(keepends=True),
                    expected.splitlines(keepends=True),
                    str(committed),
                    "generated",
                )
                sys.stdout.writelines(diff)
        return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report drift instead of writing")
    arguments = parser.parse_args()
    if arguments.check:
        return check()
    for path in generate(SOURCE):
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
