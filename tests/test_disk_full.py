"""A full disk (or quota) while writing OUT is its own exit code, 5, with one line naming the file: not 2 (usage)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import cli
from digest.errors import EXIT_NO_SPACE
from digest.output import store


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_no_space_left_is_exit_5_with_one_line(code: int, tmp_path: Path, tiny_config_file: Path, monkeypatch):
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    (inp / "a.txt").write_text("Port strike ends\n\nThe port strike ended on Monday after twelve days of talks. "
                               "The union said all workers would return.\n", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(store.os, "fsync", full)
    result = CliRunner().invoke(cli, ["run", str(inp), "-o", str(out), "-c", str(tiny_config_file)])
    assert result.exit_code == EXIT_NO_SPACE == 5, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("digest: error:")]
    assert len(errors) == 1 and errors[0].startswith(f"digest: error: no space left writing {out}"), result.output
    assert "Traceback" not in result.output


def test_other_write_errors_stay_what_they_were(tmp_path: Path, tiny_config_file: Path, monkeypatch):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "a.txt").write_text("Port strike ends\n\nThe port strike ended on Monday after twelve days of talks.\n",
                               encoding="utf-8")

    def denied(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(store.os, "fsync", denied)
    result = CliRunner().invoke(cli, ["run", str(inp), "-o", str(tmp_path / "out"), "-c", str(tiny_config_file)])
    assert result.exit_code == 2 and "no space" not in result.output
