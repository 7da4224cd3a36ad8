"""`python -m summarize` as a person and a checker use it: real processes, real files, a real HTTP server."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import REPO, SCHEMA, SEED_ARTICLE

ARTICLES = Path(__file__).parent / "articles"


def run_cli(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "summarize", *args],
        input=stdin,
        capture_output=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_seed_json_is_schema_valid_and_holds_the_casualty_sentence(shared_dir: Path) -> None:
    result = run_cli("--json", str(SEED_ARTICLE))
    assert result.returncode == 0, result.stderr.decode()
    brief = json.loads(result.stdout)
    jsonschema.validate(brief, json.loads(SCHEMA.read_text(encoding="utf-8")))
    texts = [item["text"] for item in brief["summary"]]
    assert any("its troops killed or wounded at least 30 North Korean soldiers" in t for t in texts)
    assert all(brief["title"] not in t for t in texts)
    assert brief["dateline"] == "KIEV"


def test_text_form_reads_like_a_brief_and_honours_sentences(tmp_path: Path) -> None:
    result = run_cli("--sentences", "2", str(ARTICLES / "ceasefire_talks.txt"))
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert out.startswith("Ceasefire talks stall as both sides trade claims over front-line village\n")
    assert "Summary\n" in out
    assert out.count("\n• ") >= 2
    summary_block = out.split("Summary\n", 1)[1].split("\n\n", 1)[0]
    assert summary_block.count("• ") == 2


def test_stdin_input() -> None:
    text = (ARTICLES / "harbour_strike.txt").read_bytes()
    result = run_cli("--json", "-", stdin=text)
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["dateline"] == "ODESA, Ukraine"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "no text"),
        (b"   \n\n  ", "no text"),
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\x00\x00", "binary"),
        (
            "Росія атакувала Київ вночі, загинули щонайменше четверо людей, повідомила міська влада.".encode(),
            "English",
        ),
        (b"<html><body><div><p>", "broken"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(tmp_path: Path, content: bytes, expected: str) -> None:
    source = tmp_path / "input.txt"
    source.write_bytes(content)
    result = run_cli(str(source))
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1, lines
    assert expected.lower() in lines[0].lower()
    assert "Traceback" not in result.stderr.decode()


@pytest.mark.parametrize(
    "args",
    [("/no/such/file.txt",), ("--sentences", "zero", "x.txt"), ("--sentences", "0", "x.txt"), ()],
)
def test_wrong_arguments_exit_2_with_one_line(args: tuple[str, ...]) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert len(result.stderr.decode().strip().splitlines()) == 1


class _ArticleHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path == "/talks":
            title, *paragraphs = (ARTICLES / "ceasefire_talks.txt").read_text(encoding="utf-8").split("\n\n")
            body = "".join(f"<p>{p}</p>" for p in paragraphs)
            page = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"
            payload, status, kind = page.encode(), 200, "text/html; charset=utf-8"
        else:
            payload, status, kind = b"not here", 404, "text/plain"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def article_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ArticleHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_url_source_is_fetched_and_briefed(article_server: str) -> None:
    result = run_cli("--json", f"{article_server}/talks", env={"FETCH_ALLOW_LOOPBACK": "1"})
    assert result.returncode == 0, result.stderr.decode()
    brief = json.loads(result.stdout)
    assert brief["url"] == f"{article_server}/talks"
    assert brief["summary"][0]["text"].startswith("Negotiators from both sides")


def test_url_errors_exit_2(article_server: str) -> None:
    missing = run_cli(f"{article_server}/missing", env={"FETCH_ALLOW_LOOPBACK": "1"})
    assert missing.returncode == 2
    assert "404" in missing.stderr.decode()
    unsafe = run_cli(f"{article_server}/talks", env={"FETCH_ALLOW_LOOPBACK": "0"})
    assert unsafe.returncode == 2
    assert len(unsafe.stderr.decode().strip().splitlines()) == 1
    assert "private" in unsafe.stderr.decode().lower() or "local" in unsafe.stderr.decode().lower()


def test_brief_from_url_in_process(article_server: str, nlp) -> None:
    from summarize.config import FetchLimits
    from summarize.errors import UnsafeUrl
    from summarize.pipeline import brief_from_url

    brief = brief_from_url(f"{article_server}/talks", limits=FetchLimits(allow_loopback=True), nlp=nlp)
    assert brief.url == f"{article_server}/talks"
    assert brief.title == "Ceasefire talks stall as both sides trade claims over front-line village"
    with pytest.raises(UnsafeUrl):
        brief_from_url(f"{article_server}/talks", limits=FetchLimits(allow_loopback=False), nlp=nlp)
