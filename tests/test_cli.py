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


def test_a_folder_that_is_no_model_says_so(runner, tiny_config_file, articles_dir, tmp_path):
    (tmp_path / "empty-model").mkdir()
    result = runner.invoke(cli, ["run", str(articles_dir), "-o", str(tmp_path / "out"), "-c", str(tiny_config_file),
                                 "--summary-model", str(tmp_path / "empty-model"), "-q"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"digest: error: cannot load model {str(tmp_path / 'empty-model')!r}: the folder "
                                    "holds no config.json") and result.stderr.count("\n") == 1


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


def test_translate_without_route_is_one_line_and_exit_two(runner, tiny_config_file):
    """No model for the pair loads: a setup error for the one text translate has, like a model error in run."""
    result = runner.invoke(cli, ["translate", "--to", "sw", "--from", "en", "-", "-c", str(tiny_config_file)],
                           input="Hello there, this is a sentence.\n")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "en→sw" in result.stderr


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


def test_translate_missing_file_is_a_usage_error_and_the_byte_limit_is_the_configs(runner, tiny_config_file, tmp_path):
    result = runner.invoke(cli, ["translate", "--to", "de", str(tmp_path / "typo.txt"), "-c", str(tiny_config_file)])
    assert result.exit_code == 2 and "typo.txt: no such file or folder" in result.stderr
    big, config = tmp_path / "big.txt", tmp_path / "small.yaml"
    big.write_text("The council met on Monday. " * 20, encoding="utf-8")
    config.write_text(tiny_config_file.read_text(encoding="utf-8") + "input:\n  max_bytes: 100\n", encoding="utf-8")
    result = runner.invoke(cli, ["translate", "--to", "de", str(big), "-c", str(config)])
    assert result.exit_code == 1 and "over the 100 bytes limit (input.max_bytes)" in result.stderr


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


ENGLISH = "The council approved the new budget on Tuesday after a long debate.\n"


def test_translate_target_is_normalized_like_config_targets(runner, tiny_config_file):
    lower = runner.invoke(cli, ["translate", "--to", "de", "--from", "en", "-", "-c", str(tiny_config_file)],
                          input=ENGLISH)
    upper = runner.invoke(cli, ["translate", "--to", " DE ", "--from", "EN", "-", "-c", str(tiny_config_file)],
                          input=ENGLISH)
    assert upper.exit_code == 0, upper.stderr
    assert upper.stdout == lower.stdout and upper.stdout.strip()


def test_translate_model_option_matches_an_upper_case_target(runner, tiny_config_file, models_root):
    result = runner.invoke(cli, ["translate", "--to", "DE", "--from", "en", "-", "-c", str(tiny_config_file),
                                 "--translation-model", f"DE={models_root / 'opus-mt-en-fr'}"], input=ENGLISH)
    assert result.exit_code == 0, result.stderr


def test_translate_takes_one_language(runner, tiny_config_file):
    result = runner.invoke(cli, ["translate", "--to", "de,fr", "--from", "en", "-", "-c", str(tiny_config_file)],
                           input=ENGLISH)
    assert result.exit_code == 2
    assert result.stderr == "digest: error: --to: translate takes one language, not 'de,fr' (digest run --to takes " \
                            "several)\n"
    assert result.stdout == ""


@pytest.mark.parametrize("how", ["explicit", "pattern"])
def test_translate_model_that_cannot_load_is_one_line_and_exit_two(runner, models_root, tmp_path, how):
    import yaml
    from conftest import tiny_settings

    settings = tiny_settings(models_root)
    if how == "explicit":  # --translation-model names the model
        settings["translation"]["models"] = {"de": str(tmp_path / "nowhere")}
    else:  # the pair pattern derives it
        settings["translation"]["pattern"] = f"{tmp_path}/nowhere-{{src}}-{{tgt}}"
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    result = runner.invoke(cli, ["translate", "--to", "de", "-", "-c", str(config)], input=ENGLISH)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("digest: error: ")
    assert "cannot load model" in result.stderr and "nowhere" in result.stderr


def test_translate_undetectable_language_points_to_the_from_option(runner, tiny_config_file):
    result = runner.invoke(cli, ["translate", "--to", "de", "-", "-c", str(tiny_config_file)], input="12 34 56\n")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "--from" in result.stderr and "source=" not in result.stderr


def test_translate_into_the_source_language_prints_the_text_once(runner, tiny_config_file):
    result = runner.invoke(cli, ["translate", "--to", "en", "-", "-c", str(tiny_config_file)], input=ENGLISH)
    assert result.exit_code == 0, result.output
    assert result.stdout == ENGLISH


def test_summarize_error_is_one_line_and_exit_one(runner, tiny_config_file, articles_dir, monkeypatch):
    from digest.run.summarizer import Summarizer

    def boom(self, texts, languages=None):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(Summarizer, "summarize", boom)
    source = str(articles_dir / "short.txt")
    result = runner.invoke(cli, ["summarize", source, "-c", str(tiny_config_file)])
    assert result.exit_code == 1
    assert result.stderr == f"digest: {source}: boom second line\n"


def test_summarize_one_failing_article_of_several_fails_alone(runner, tiny_config_file, tmp_path, monkeypatch):
    from digest.run.summarizer import Summarizer

    real = Summarizer.summarize

    def picky(self, texts, languages=None):
        if any("poison" in t for t in texts):
            raise RuntimeError("boom")
        return real(self, texts, languages)

    monkeypatch.setattr(Summarizer, "summarize", picky)
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": i, "title": "T", "text": f"{word} The council met on Friday to vote."})
                            + "\n" for i, word in (("a", "Alpha."), ("b", "poison."), ("c", "Gamma."))))
    result = runner.invoke(cli, ["summarize", str(feed), "-c", str(tiny_config_file)])
    assert result.exit_code == 1
    assert result.stderr == f"digest: {feed}:2: boom\n"
    assert result.stdout.count("\n\n") == 1  # the two good summaries, one blank line between them


class _FakeDigester:
    """Stands in for the pipeline so that a test can see the config `digest run` builds, without Ray."""

    seen: list = []

    def __init__(self, config, progress=None):
        _FakeDigester.seen.append(config)

    def run(self, *args, **kwargs):
        class Result:
            exit_code = 0

            @staticmethod
            def summary_line():
                return "fake"

        return Result()


def test_ray_address_implies_the_ray_executor(runner, tiny_config_file, articles_dir, tmp_path, monkeypatch):
    monkeypatch.setattr("digest.api.Digester", _FakeDigester)
    _FakeDigester.seen.clear()
    result = runner.invoke(cli, ["run", str(articles_dir), "-o", str(tmp_path), "-c", str(tiny_config_file), "-q",
                                 "--ray-address", "ray://head:10001"])
    assert result.exit_code == 0, result.output
    (config,) = _FakeDigester.seen
    assert (config.executor, config.ray.address) == ("ray", "ray://head:10001")
    assert "implies --executor ray" in runner.invoke(cli, ["run", "--help"]).output


def test_ray_address_with_the_local_executor_is_a_usage_error(runner, tiny_config_file, articles_dir, tmp_path,
                                                              monkeypatch):
    monkeypatch.setattr("digest.api.Digester", _FakeDigester)
    _FakeDigester.seen.clear()
    result = runner.invoke(cli, ["run", str(articles_dir), "-o", str(tmp_path), "-c", str(tiny_config_file), "-q",
                                 "--ray-address", "auto", "--executor", "local"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "--ray-address needs --executor ray" in result.stderr
    assert _FakeDigester.seen == []
