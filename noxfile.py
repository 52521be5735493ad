"""Development sessions: ``nox -s tests``, ``lint``, ``typecheck``, ``bench``."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (the README's test command)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff, and the check that the generated sync code matches its async source."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", "src", "tests", "tools", "bench")
    session.run("ruff", "format", "--check", "src/censusdt_fake", "src/censusdt/_async")
    session.run("python", "tools/gen_sync.py", "--check")
    session.run("python", "tools/gen_coverage.py", "--check")


@nox.session
def typecheck(session: nox.Session) -> None:
    """Strict mypy on src/."""
    session.install("-e", ".[lint]")
    session.run("mypy")


@nox.session
def bench(session: nox.Session) -> None:
    """Run every benchmark; each prints its ratios and writes nothing outside out/."""
    session.install("-e", ".[test,bench]")
    for script in sorted(__import__("pathlib").Path("bench").glob("bench_*.py")):
        session.run("python", str(script), *session.posargs)
