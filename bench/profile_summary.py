"""Summarize a py-spy profile of the server: where its time goes, as shares of all samples.

    .venv/bin/py-spy record --pid PID --duration 20 --rate 100 --format raw -o prof.folded
    .venv/bin/python bench/profile_summary.py prof.folded [--top 25] [--focus lease_next]

Prints the functions with the most samples (inclusive: the function or anything it calls;
self: the function itself, which for a call into C — sqlite3, psycopg, argon2 — is the time
spent in C), the innermost labelops function of every sample, and a breakdown by layer
(labelops, SQLAlchemy, the driver, FastAPI/Starlette/pydantic, uvicorn, asyncio…).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")
_LAYERS = (
    ("driver (sqlite3/psycopg C + cursor calls)", ("do_execute", "do_executemany", "psycopg/")),
    ("labelops", ("labelops/",)),
    ("sqlalchemy", ("sqlalchemy/", "<sqlalchemy")),
    ("pydantic", ("pydantic",)),
    ("fastapi/starlette", ("fastapi/", "starlette/")),
    ("anyio/threads", ("anyio/", "threading.py", "concurrent/")),
    ("uvicorn/httptools", ("uvicorn/", "httptools")),
    ("asyncio/uvloop", ("asyncio/", "uvloop")),
)


def read_folded(path: Path) -> Iterator[tuple[list[str], int]]:
    """(frames outermost first, sample count) for every line of a py-spy raw/folded file."""
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if stack and count.isdigit():
                yield stack.split(";"), int(count)


def _name(frame: str) -> str:
    """`func (path/to/module.py)` without the line number."""
    match = _FRAME.match(frame)
    return f"{match['func']} ({match['file']})" if match else frame


def _layer(frame: str) -> str:
    for layer, needles in _LAYERS:
        if any(needle in frame for needle in needles):
            return layer
    return "other"


def summarize(path: Path, top: int, focus: str | None) -> None:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    in_labelops: Counter[str] = Counter()
    layers: Counter[str] = Counter()
    total = 0
    for frames, count in read_folded(path):
        if focus and not any(focus in frame for frame in frames):
            continue
        total += count
        names = [_name(frame) for frame in frames]
        for name in set(names):
            inclusive[name] += count
        own[names[-1]] += count
        layers[_layer(frames[-1])] += count
        app = [name for name in names if "labelops/" in name]
        in_labelops[app[-1] if app else "(no labelops frame)"] += count
    if not total:
        print("no samples")
        return
    title = f" (only stacks through {focus!r})" if focus else ""
    print(f"{total:,} samples{title}\n")
    for heading, counter in (
        ("inclusive", inclusive),
        ("self", own),
        ("innermost labelops frame", in_labelops),
        ("layer of the running frame", layers),
    ):
        print(f"-- {heading}")
        for name, count in counter.most_common(top):
            print(f"  {100 * count / total:5.1f}%  {name}")
        print()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("profile", type=Path, help="py-spy --format raw output")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--focus", help="only stacks with a frame containing this text")
    args = parser.parse_args(argv)
    summarize(args.profile, args.top, args.focus)


if __name__ == "__main__":
    main()
