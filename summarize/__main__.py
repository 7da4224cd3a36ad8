"""`python -m summarize [--json] [--sentences N] SOURCE`: brief a file, stdin (`-`) or an http(s) URL."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from summarize.errors import BriefError
from summarize.model import Brief

EXIT_BAD_INPUT = 2
MAX_INPUT_BYTES = 20_000_000


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line, not a usage dump
        self.exit(
            EXIT_BAD_INPUT, f"error: {message} (usage: python -m summarize [--json] [--sentences N] SOURCE)\n"
        )


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--sentences takes a whole number, not {value!r}") from None
    if not 1 <= number <= 20:
        raise argparse.ArgumentTypeError("--sentences takes a number from 1 to 20")
    return number


def _read_source(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    path = Path(source)
    if not path.exists():
        raise BriefError(
            f"No such file: {source}. Give a file path, - for standard input, or an http(s) URL."
        )
    if path.is_dir():
        raise BriefError(f"{source} is a folder. Give a file path, - for standard input, or an http(s) URL.")
    with path.open("rb") as handle:
        return handle.read(MAX_INPUT_BYTES + 1)


def make_brief(source: str, sentences: int | None) -> Brief:
    if source.lower().startswith(("http://", "https://")):
        from summarize.pipeline import brief_from_url

        return brief_from_url(source, sentences=sentences)
    from summarize.pipeline import brief_from_bytes

    data = _read_source(source)
    if len(data) > MAX_INPUT_BYTES:
        raise BriefError(f"The input is over {MAX_INPUT_BYTES // 1_000_000} MB. Send a single article.")
    return brief_from_bytes(data, sentences=sentences)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m summarize", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the Brief as JSON (brief.schema.json)")
    parser.add_argument(
        "--sentences", type=_positive, default=None, help="summary length (default 3, up to 5)"
    )
    parser.add_argument("source", help="a file path, - for standard input, or an http(s) URL")
    args = parser.parse_args(argv)
    try:
        brief = make_brief(args.source, args.sentences)
    except BriefError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(brief.to_json())
    else:
        from summarize.render import brief_as_text

        print(brief_as_text(brief))
    return 0


if __name__ == "__main__":
    sys.exit(main())
