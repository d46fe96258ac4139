"""The CLI drives the same library: exit codes, one-line errors, stdout verbs, help texts."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from digest.cli import cli


@pytest.fixture()
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def articles_dir(tmp_path_factory, milley_raw):
    root = tmp_path_factory.mktemp("cli-in")
    (root / "milley.txt").write_text(milley_raw, encoding="utf-8")
    (root / "short.txt").write_text("Port strike ends\n\nDock workers returned to work on Friday after a "
                                    "week-long strike over pay.\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("args", [[], ["run"], ["summarize"], ["translate"], ["config", "show"]])
def test_help_everywhere(runner, args):
    result = runner.invoke(cli, [*args, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and "digest, version" in result.output


def test_run_writes_outputs_and_exits_zero(runner, tiny_config_file, articles_dir, tmp_path):
    result = runner.invoke(cli, ["run", str(articles_dir), "-o", str(tmp_path), "-c", str(tiny_config_file),
                                 "--to", "de", "--quiet"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "articles").iterdir()) == ["milley.json", "short.json"]
    assert (tmp_path / "digest.de.md").exists() and (tmp_path / "digest.en.html").exists()
    assert not (tmp_path / "digest.fr.md").exists()
    assert result.stderr == ""


def test_some_failed_exits_one_and_keeps_the_rest(runner, tiny_config_file, articles_dir, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("   \n")
    (tmp_path / "in" / "ok.txt").write_text((articles_dir / "short.txt").read_text())
    result = runner.invoke(cli, ["run", str(tmp_path / "in"), "-o", str(tmp_path / "out"),
                                 "-c", str(tiny_config_file), "--to", "de", "-q"])
    assert result.exit_code == 1
    assert "empty.txt" in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "out" / "articles" / "ok.json").exists()
    manifest = [json.loads(x) for x in (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()]
    assert {e["status"] for e in manifest} == {"ok", "failed"}


def test_unloadable_model_is_one_line_and_exit_two(runner, tiny_config_file, articles_dir, tmp_path):
    result = runner.invoke(cli, ["run", str(articles_dir), "-o", str(tmp_path), "-c", str(tiny_config_file),
                                 "--summary-model", "no-such-org/no-such-model", "-q"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "no-such-org/no-such-model" in lines[0] and "HF_HUB_OFFLINE" in lines[0]


def test_missing_local_model_folder_says_so(runner, tiny_config_file, articles_dir, tmp_path):
    result = runner.invoke(cli, ["run", str(articles_dir), "-o", str(tmp_path / "out"), "-c", str(tiny_config_file),
                                 "--summary-model", str(tmp_path / "nowhere"), "-q"])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"digest: error: cannot load model {str(tmp_path / 'nowhere')!r}: no such folder"


def test_bad_config_key_names_key_and_file(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("summarizer:\n  modle: x\n")
    result = runner.invoke(cli, ["config", "show", "-c", str(bad)])
    assert result.exit_code == 2
    assert "summarizer.modle" in result.stderr and str(bad) in result.stderr


def test_bad_translation_model_option_is_a_usage_error(runner, articles_dir):
    result = runner.invoke(cli, ["run", str(articles_dir), "--translation-model", "de"])
    assert result.exit_code == 2 and "LANG=ID_OR_PATH" in result.output


def test_config_show_prints_effective_yaml(runner, tiny_config_file):
    import yaml

    result = runner.invoke(cli, ["config", "show", "-c", str(tiny_config_file)])
    shown = yaml.safe_load(result.output)
    assert shown["summarizer"]["model"].endswith("bart")
    assert shown["output"]["formats"] == ["md", "html"]


def test_summarize_file_and_stdin(runner, tiny_config_file, articles_dir):
    from_file = runner.invoke(cli, ["summarize", str(articles_dir / "short.txt"), "-c", str(tiny_config_file)])
    assert from_file.exit_code == 0, from_file.output
    assert from_file.stdout.strip()
    text = (articles_dir / "short.txt").read_text()
    from_stdin = runner.invoke(cli, ["summarize", "-", "-c", str(tiny_config_file)], input=text)
    assert from_stdin.exit_code == 0
    assert from_stdin.stdout == from_file.stdout  # greedy decoding: same input, same output


def test_translate_stdin(runner, tiny_config_file):
    result = runner.invoke(cli, ["translate", "--to", "de", "--from", "en", "-", "-c", str(tiny_config_file)],
                           input="The vote passed. Everyone went home.\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_translate_without_route_is_one_line(runner, tiny_config_file):
    result = runner.invoke(cli, ["translate", "--to", "xx", "--from", "en", "-", "-c", str(tiny_config_file)],
                           input="Hello there, this is a sentence.\n")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "en→xx" in result.stderr


def test_python_dash_m_and_console_script_start():
    out = subprocess.run([sys.executable, "-m", "digest", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "digest" in out.stdout


def test_help_and_config_errors_import_no_heavy_library(tmp_path):
    """`digest --help` and config errors must answer at once: torch, transformers and ctranslate2 load lazily."""
    import subprocess
    import sys

    bad = tmp_path / "bad.yaml"
    bad.write_text("summarizer: {modle: x}\n", encoding="utf-8")
    probe = (
        "import sys\nfrom digest.cli import cli\n"
        "for args in (['--help'], ['run', '--help'], ['config', 'show', '-c', sys.argv[1]]):\n"
        "    try:\n        cli(args, prog_name='digest')\n    except SystemExit:\n        pass\n"
        "names = ('torch', 'transformers', 'ctranslate2', 'ray', 'trafilatura')\n"
        "heavy = sorted(m for m in names if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(bad)], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in done.stdout, done.stdout + done.stderr
    assert "summarizer.modle" in done.stderr


def test_translate_unreadable_file_is_one_line(runner, tiny_config_file, tmp_path):
    png = tmp_path / "logo.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = runner.invoke(cli, ["translate", "--to", "de", str(png), "-c", str(tiny_config_file)])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "logo.txt" in result.stderr and "binary" in result.stderr


def test_unwritable_output_or_log_file_is_one_line_and_exit_two(runner, tiny_config_file, articles_dir, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    for extra in (["-o", str(blocker / "out")], ["-o", str(tmp_path / "o"), "--log-file", str(blocker / "x.log")]):
        result = runner.invoke(cli, ["run", str(articles_dir), "-c", str(tiny_config_file), "-q", *extra])
        assert result.exit_code == 2, result.output
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_translate_decodes_legacy_stdin(runner, tiny_config_file):
    result = runner.invoke(cli, ["translate", "--to", "de", "--from", "en", "-", "-c", str(tiny_config_file)],
                           input="The caf\xe9 opened on Tuesday.".encode("cp1252"))
    assert result.exit_code == 0, result.output
