"""Human log lines name inputs with their control characters escaped: a file name cannot forge a line."""

from __future__ import annotations

import logging
from pathlib import Path

from click.testing import CliRunner

from digest.cli import cli
from digest.logs import printable, setup_logging

EVIL = "evil\ndigest: 99 ok, 0 failed\r\x1b[2J\u2028x.txt"


def test_printable_escapes_what_ends_or_rewrites_a_line():
    assert printable(EVIL) == "evil\\ndigest: 99 ok, 0 failed\\r\\x1b[2J\\u2028x.txt"
    assert printable("Café – 北京.txt\t") == "Café – 北京.txt\\t"


def test_a_forged_file_name_stays_on_its_own_line(tmp_path: Path, tiny_config_file: Path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / EVIL).write_bytes(b"")
    result = CliRunner().invoke(cli, ["run", str(inp), "-o", str(tmp_path / "out"), "-c", str(tiny_config_file)])
    lines = result.output.splitlines()
    assert not any(line.startswith("digest: 99 ok") for line in lines), result.output
    assert any("evil\\ndigest: 99 ok, 0 failed\\r\\x1b[2J\\u2028x.txt" in line for line in lines), result.output
    assert "\x1b" not in result.output


def test_log_file_lines_are_escaped_too(tmp_path: Path):
    log_file = tmp_path / "run.log"
    setup_logging(quiet=True, log_file=str(log_file))
    try:
        logging.getLogger("digest").warning("%s: empty file", EVIL)
    finally:
        setup_logging()
    text = log_file.read_text(encoding="utf-8")
    assert text.count("\n") == 1 and "evil\\ndigest: 99 ok" in text
