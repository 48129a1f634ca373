"""Batch: many files -> one JSON Lines file, in parallel, never losing a file.

* Files are listed first (directories walked, sorted), so the output order is stable
  whatever the number of workers.
* Worker processes each hold one tagger; results stream to disk in input order
  (``imap``), so memory stays flat as the corpus grows.
* Output goes to a temporary file beside the target and is renamed over it at the end:
  a crash or Ctrl-C never leaves a half-written file under the real name.
* A file that fails becomes an error record ``{"path": ..., "error": ...}`` and the run
  carries on; the exit status says whether any failed.
"""

from __future__ import annotations

import fnmatch
import multiprocessing as mp
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from .output import dumps, error_record
from .pipeline import ProcessOptions, process_file
from .read import ARTICLE_SUFFIXES, InputError
from .textio import atomic_output

__all__ = ["collect_files", "run_batch", "BatchSummary", "DEFAULT_GLOBS"]

DEFAULT_GLOBS = tuple("*" + suffix for suffix in ARTICLE_SUFFIXES)


@dataclass
class BatchSummary:
    files: int = 0
    ok: int = 0
    failed: int = 0
    chars: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def chars_per_second(self) -> float:
        return self.chars / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        return (
            f"files {self.files}, ok {self.ok}, failed {self.failed}, chars {self.chars}, "
            f"seconds {self.seconds:.2f}, chars/s {self.chars_per_second:,.0f}"
        )


def collect_files(paths: Iterable[str], globs: Iterable[str] = DEFAULT_GLOBS) -> list[str]:
    """Files named directly are taken as they are; directories are walked for files
    matching ``globs`` (hidden directories skipped). Sorted within each directory."""
    patterns = tuple(globs)
    out: list[str] = []
    seen: set[str] = set()
    for p in paths:
        if os.path.isdir(p):
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if any(fnmatch.fnmatch(name, g) for g in patterns):
                        found.append(os.path.join(root, name))
            candidates = sorted(found)
        else:
            candidates = [p]
        for c in candidates:
            if c not in seen:
                seen.add(c)
                out.append(c)
    return out


# Worker state: set once per process by the pool initializer.
_options: ProcessOptions | None = None
_with_tokens = False
_encoding: str | None = None


def _init_worker(options: ProcessOptions, tokens: bool, encoding: str | None) -> None:
    global _options, _with_tokens, _encoding
    _options, _with_tokens, _encoding = options, tokens, encoding


def _one(path: str) -> tuple[str, bool, int, str]:
    """Process one file; returns (JSON line, ok, chars, error message)."""
    try:
        article = process_file(path, _options, _encoding)
        return dumps(article.to_dict(tokens=_with_tokens)), True, len(article.source.text), ""
    except InputError as e:
        return dumps(error_record(path, e.problem, "input")), False, 0, e.problem
    except RecursionError:
        msg = "internal error: input nests too deeply"
        return dumps(error_record(path, msg, "internal")), False, 0, msg
    except Exception as e:  # one bad file never stops the run
        msg = f"internal error: {type(e).__name__}: {e}"
        return dumps(error_record(path, msg, "internal")), False, 0, msg


def _results(files: list[str], jobs: int, options: ProcessOptions, tokens: bool, encoding: str | None) -> Iterator[tuple[str, bool, int, str]]:
    if jobs <= 1 or len(files) <= 1:
        _init_worker(options, tokens, encoding)
        for f in files:
            yield _one(f)
        return
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(options, tokens, encoding), maxtasksperchild=200) as pool:
        yield from pool.imap(_one, files, chunksize=1)


class _Progress:
    """A one-line progress bar on a terminal; silent in pipes and CI."""

    def __init__(self, total: int, stream: IO[str]) -> None:
        self.total = total
        self.stream = stream
        self.enabled = stream.isatty() and not os.environ.get("CI") and total > 1
        self.t0 = time.perf_counter()

    def update(self, done: int, failed: int) -> None:
        if not self.enabled:
            return
        width = 30
        filled = int(width * done / self.total)
        rate = done / max(time.perf_counter() - self.t0, 1e-9)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} files, {failed} failed, {rate:.1f} files/s"
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def run_batch(
    paths: Iterable[str],
    out_path: str,
    *,
    jobs: int = 0,
    globs: Iterable[str] = DEFAULT_GLOBS,
    options: ProcessOptions | None = None,
    tokens: bool = False,
    encoding: str | None = None,
    progress: IO[str] | None = None,
) -> BatchSummary:
    files = collect_files(paths, globs)
    jobs = jobs or os.cpu_count() or 1
    options = options or ProcessOptions()
    summary = BatchSummary(files=len(files))
    bar = _Progress(len(files), progress or sys.stderr)
    t0 = time.perf_counter()
    try:
        with atomic_output(out_path, newline="\n") as out:
            for i, (line, ok, chars, error) in enumerate(_results(files, jobs, options, tokens, encoding)):
                out.write(line)
                out.write("\n")
                if ok:
                    summary.ok += 1
                    summary.chars += chars
                else:
                    summary.failed += 1
                    summary.failures.append((files[i], error))
                bar.update(i + 1, summary.failed)
    finally:
        bar.close()
    summary.seconds = time.perf_counter() - t0
    return summary
