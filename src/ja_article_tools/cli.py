"""The ``ja-article`` command: process, batch, clean, repair, lint, rules.

The CLI holds no logic of its own: it parses arguments, calls the library and turns
errors into messages and exit codes (0 ok, 1 some input failed or findings, 2 usage
or I/O error).
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Sequence

from . import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Formatter(argparse.RawDescriptionHelpFormatter):
    pass


def _add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--encoding", help="decode input with this encoding instead of detecting it (e.g. cp932, euc-jp)")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--markdown", dest="markdown", action="store_const", const=True, default=None, help="treat input as Markdown")
    fmt.add_argument("--text", dest="markdown", action="store_const", const=False, help="treat input as plain text")


def _add_clean_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--latin-spacing",
        choices=("keep", "none", "space"),
        default="keep",
        help="spacing between Japanese and Latin letters/digits (default: keep as written)",
    )
    p.add_argument("--fullwidth-exclamation", action="store_true", help="turn ! and ? after Japanese text into ！ and ？")
    p.add_argument("--disable-fixer", action="append", default=[], metavar="NAME", help="skip a cleaning fixer (repeatable)")


def _options(args: argparse.Namespace):
    from .clean import FIXERS, CleanOptions
    from .pipeline import ProcessOptions

    unknown = [n for n in args.disable_fixer if n not in FIXERS]
    if unknown:
        raise _UsageError(f"unknown fixer(s): {', '.join(unknown)}; known: {', '.join(FIXERS)}")
    clean = CleanOptions(
        latin_spacing=args.latin_spacing,
        fullwidth_exclamation=args.fullwidth_exclamation,
        disabled=frozenset(args.disable_fixer),
    )
    return ProcessOptions(clean=clean, repair=not getattr(args, "no_repair", False), markdown=args.markdown)


class _UsageError(Exception):
    pass


def _read(path: str, encoding: str | None):
    from .read import read_path, read_stdin

    return read_stdin(encoding) if path == "-" else read_path(path, encoding)


def _write_text(out: str | None, text: str) -> None:
    if out and out != "-":
        from .textio import write_atomic

        write_atomic(out, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


# --------------------------------------------------------------------------- commands


def cmd_process(args: argparse.Namespace) -> int:
    from .output import dumps
    from .pipeline import process_source

    source = _read(args.file, args.encoding)
    article = process_source(source, _options(args))
    _write_text(args.output, dumps(article.to_dict(tokens=args.tokens), pretty=args.pretty) + "\n")
    return EXIT_OK


def cmd_batch(args: argparse.Namespace) -> int:
    from .batch import DEFAULT_GLOBS, run_batch

    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        raise _UsageError(f"no such file or directory: {', '.join(missing)}")
    summary = run_batch(
        args.paths,
        args.output,
        jobs=args.jobs,
        globs=args.glob or DEFAULT_GLOBS,
        options=_options(args),
        tokens=args.tokens,
        encoding=args.encoding,
    )
    for path, error in summary.failures:
        print(f"ja-article: {path}: {error}", file=sys.stderr)
    print(f"ja-article batch: {summary.line()} -> {args.output}", file=sys.stderr)
    return EXIT_FAILED if summary.failed else EXIT_OK


def _diff(path: str, before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True), fromfile=f"a/{path}", tofile=f"b/{path}"
        )
    )


def _rewrite_command(args: argparse.Namespace, rewrite) -> int:
    """``clean`` and ``repair``: the article rewritten, or a diff against it."""
    source = _read(args.file, args.encoding)
    after = rewrite(source, _options(args))
    _write_text(args.output, _diff(args.file, source.text, after) if args.diff else after)
    return EXIT_OK


def cmd_clean(args: argparse.Namespace) -> int:
    from .pipeline import clean_source

    return _rewrite_command(args, lambda source, options: clean_source(source, options).text)


def cmd_repair(args: argparse.Namespace) -> int:
    from .pipeline import repair_source

    return _rewrite_command(args, repair_source)


EXAMPLES = {
    "process": "example:\n  ja-article process article.txt --pretty\n  cat post.md | ja-article process - --tokens -o post.json",
    "batch": "example:\n  ja-article batch corpus/ -o out/corpus.jsonl --jobs 2\n  ja-article batch posts/ --glob '*.md' -o out/posts.jsonl",
    "clean": "example:\n  ja-article clean article.txt > cleaned.txt\n  ja-article clean article.txt --diff --latin-spacing none",
    "repair": "example:\n  ja-article repair article.txt -o fixed.md\n  ja-article repair article.txt --diff",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ja-article",
        description="Clean, tokenize, repair machine-translated code in, extract from and lint Japanese articles.",
        formatter_class=_Formatter,
        epilog="example:\n  ja-article process article.txt --pretty\n  ja-article batch corpus/ -o out/corpus.jsonl\n  ja-article lint docs/",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("process", help="process one article to JSON", epilog=EXAMPLES["process"], formatter_class=_Formatter,
                       description="Process one article (a file, or - for stdin) and write its JSON record.")
    p.add_argument("file", metavar="FILE|-")
    p.add_argument("-o", "--output", help="write JSON here (atomically) instead of stdout")
    p.add_argument("--tokens", action="store_true", help="include the tokens (compact arrays)")
    p.add_argument("--pretty", action="store_true", help="indent the JSON")
    p.add_argument("--no-repair", action="store_true", help="do not run code repair")
    _add_input_options(p)
    _add_clean_options(p)
    p.set_defaults(func=cmd_process)

    p = sub.add_parser("batch", help="process many files to JSON Lines", epilog=EXAMPLES["batch"], formatter_class=_Formatter,
                       description="Process files and directories in parallel into one JSON Lines file (one record per file, "
                       "in a stable order; failed files become error records). Exit 1 if any file failed.")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("-o", "--output", required=True, metavar="OUT.jsonl")
    p.add_argument("-j", "--jobs", type=int, default=0, help="worker processes (default: one per CPU)")
    p.add_argument("--glob", action="append", metavar="PATTERN", help="file pattern inside directories (default: the .md, .markdown, .txt ... article suffixes)")
    p.add_argument("--tokens", action="store_true", help="include the tokens")
    p.add_argument("--no-repair", action="store_true", help="do not run code repair")
    _add_input_options(p)
    _add_clean_options(p)
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("clean", help="print the cleaned text", epilog=EXAMPLES["clean"], formatter_class=_Formatter,
                       description="Print the article with its prose cleaned (code, inline code and URLs untouched).")
    p.add_argument("file", metavar="FILE|-")
    p.add_argument("-o", "--output")
    p.add_argument("--diff", action="store_true", help="print a unified diff instead")
    _add_input_options(p)
    _add_clean_options(p)
    p.set_defaults(func=cmd_clean)

    p = sub.add_parser("repair", help="write the article back with repaired, fenced code", epilog=EXAMPLES["repair"],
                       formatter_class=_Formatter,
                       description="Repair code blocks damaged by machine translation and write the article back with each "
                       "repaired block in a proper fence with its language tag; prose is left untouched.")
    p.add_argument("file", metavar="FILE|-")
    p.add_argument("-o", "--output")
    p.add_argument("--diff", action="store_true", help="print a unified diff instead")
    _add_input_options(p)
    _add_clean_options(p)
    p.set_defaults(func=cmd_repair)

    from .lint.command import register as register_lint

    register_lint(sub)  # the lint and rules commands
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from .read import InputError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args) or 0)
    except _UsageError as e:
        print(f"ja-article: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except InputError as e:
        print(f"ja-article: {e}", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:
        # `ja-article process x | head`: not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except OSError as e:
        print(f"ja-article: {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
