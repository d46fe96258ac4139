"""`digest models list|pull`: which models a config needs, what is cached, and fetching them — all offline."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import huggingface_hub
import pytest
from click.testing import CliRunner
from huggingface_hub import constants
from huggingface_hub.errors import RepositoryNotFoundError

from digest.cli import cli
from digest.config import load_config
from digest.engines.hub import (
    CACHED,
    LOCAL,
    MISSING,
    HubUnreachable,
    ModelRef,
    NotOnHub,
    PullError,
    download_patterns,
    pull,
    pull_all,
    status,
)
from digest.run.needs import required_models

CONFIGS = Path(__file__).resolve().parent.parent / "configs"
SHA = "0123456789abcdef0123456789abcdef01234567"

#: a repo like distilbart-cnn-12-6: every weight format, plus an onnx/ export the engines never read
REPO_FILES = [
    ".gitattributes", "README.md", "config.json", "generation_config.json", "merges.txt", "vocab.json",
    "tokenizer_config.json", "special_tokens_map.json", "model.safetensors", "pytorch_model.bin", "tf_model.h5",
    "flax_model.msgpack", "rust_model.ot", "onnx/encoder_model.onnx", "onnx/config.json", "source.spm",
]


@pytest.fixture()
def runner():
    return CliRunner()


@pytest.fixture()
def hub_cache(tmp_path, monkeypatch) -> Path:
    """An empty HF cache: env for child processes, and huggingface_hub's constant, read once at import."""
    cache = tmp_path / "hf-home" / "hub"
    cache.mkdir(parents=True)
    monkeypatch.setenv("HF_HOME", str(cache.parent))
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(cache))
    return cache


@pytest.fixture()
def online(monkeypatch):
    """Pretend the hub is reachable: offline mode off. Every test using it fakes the hub calls too."""
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)


@pytest.fixture()
def fake_hub(monkeypatch, online):
    """A fake hub: repos by id → file list; records every snapshot_download call; no network."""
    repos: dict[str, list[str]] = {}
    calls: list[dict] = []
    listed: list[str] = []

    def list_repo_files(self, repo_id, *, revision=None, repo_type=None, token=None):
        listed.append(repo_id)
        if repo_id not in repos:
            raise RepositoryNotFoundError("404 Client Error. Repository Not Found",
                                          response=types.SimpleNamespace(headers={}, request=None))
        return list(repos[repo_id])

    def snapshot_download(repo_id, **kwargs):
        calls.append({"repo_id": repo_id, **kwargs})
        return "/nowhere"

    monkeypatch.setattr(huggingface_hub.HfApi, "list_repo_files", list_repo_files)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", snapshot_download)
    return types.SimpleNamespace(repos=repos, calls=calls, listed=listed)


def fake_snapshot(cache: Path, repo_id: str, files: list[str], sha: str = SHA, ref: str | None = "main") -> Path:
    """The HF cache layout: models--org--name/snapshots/<sha>/<files> and refs/<ref> holding the sha."""
    repo = cache / ("models--" + repo_id.replace("/", "--"))
    snapshot = repo / "snapshots" / sha
    snapshot.mkdir(parents=True)
    for name in files:
        (snapshot / name).write_text("{}", encoding="utf-8")
    if ref:
        (repo / "refs").mkdir()
        (repo / "refs" / ref).write_text(sha, encoding="utf-8")
    return snapshot


def by_id(refs: list[ModelRef]) -> dict[str, ModelRef]:
    return {ref.id: ref for ref in refs}


# --- required_models ---------------------------------------------------------------------------------------


def test_default_config_needs_distilbart_and_three_opus_pairs():
    refs = required_models(load_config(CONFIGS / "default.yaml"))
    assert [(r.id, r.role) for r in refs] == [
        ("sshleifer/distilbart-cnn-12-6", "summarizer"),
        ("Helsinki-NLP/opus-mt-en-de", "translation en→de"),
        ("Helsinki-NLP/opus-mt-en-fr", "translation en→fr"),
        ("Helsinki-NLP/opus-mt-en-es", "translation en→es"),
    ]
    assert refs[0].explicit and not refs[1].explicit
    assert all(not r.fallback for r in refs)  # English is the pivot: no route to fall back to
    assert [r.id for r in refs] == [r.id for r in required_models(load_config())]  # built-in == default.yaml


def test_multilingual_config_needs_one_translation_model():
    refs = required_models(load_config(CONFIGS / "multilingual.yaml"))
    assert [r.id for r in refs] == ["sshleifer/distilbart-cnn-12-6", "facebook/m2m100_418M"]
    assert refs[1].role == "translation en→de, en→fr, en→es, en→it, en→pt, en→pl"
    assert refs[1].explicit


def test_t5_config_needs_one_model_for_both_tasks():
    (ref,) = required_models(load_config(CONFIGS / "t5-small.yaml"))
    assert ref.id == "google-t5/t5-small"
    assert ref.role == "summarizer; translation en→de, en→fr"


def test_extractive_summarizer_needs_no_model():
    refs = required_models(load_config(CONFIGS / "offline-demo.yaml"))
    assert [r.id for r in refs] == ["models/tiny/opus-mt-en-de", "models/tiny/opus-mt-en-fr"]


def test_other_source_languages_bring_their_pairs_and_pivot_fallbacks():
    refs = by_id(required_models(load_config(), sources=("en", "fr")))
    fr_de = refs["Helsinki-NLP/opus-mt-fr-de"]
    assert fr_de.role == "translation fr→de" and not fr_de.explicit
    # opus-mt-fr-de may not exist on the hub: the run would go fr→en→de
    assert [(f.id, f.role) for f in fr_de.fallback] == [
        ("Helsinki-NLP/opus-mt-fr-en", "translation fr→en (for fr→de)"),
        ("Helsinki-NLP/opus-mt-en-de", "translation en→de (for fr→de)"),
    ]
    assert "Helsinki-NLP/opus-mt-fr-fr" not in refs  # fr→fr needs no model


def test_overrides_come_before_the_pattern():
    config = load_config(translation_models={"de": "org/my-de", "fr-es": "org/fr-es"})
    refs = by_id(required_models(config, sources=("en", "fr")))
    assert refs["org/my-de"].explicit and refs["org/my-de"].role == "translation en→de"
    assert refs["org/fr-es"].role == "translation fr→es" and not refs["org/fr-es"].fallback
    assert "Helsinki-NLP/opus-mt-en-de" not in refs


def test_revisions_are_kept():
    config = load_config(**{"summarizer.revision": "v2"})
    assert required_models(config)[0].revision == "v2"
    assert required_models(config)[0].describe() == "sshleifer/distilbart-cnn-12-6@v2"


# --- status ------------------------------------------------------------------------------------------------


def test_local_folders_are_local(tiny_config):
    refs = required_models(tiny_config)
    assert refs and {status(r) for r in refs} == {LOCAL}


def test_empty_cache_is_missing(hub_cache):
    assert status(ModelRef("Helsinki-NLP/opus-mt-en-de")) == MISSING
    assert status(ModelRef("models/tiny/not-here")) == MISSING  # neither a folder nor a hub id


def test_cached_snapshot_is_cached(hub_cache, tmp_path):
    fake_snapshot(hub_cache, "Helsinki-NLP/opus-mt-en-de", ["config.json", "model.safetensors"])
    assert status(ModelRef("Helsinki-NLP/opus-mt-en-de")) == CACHED
    assert status(ModelRef("Helsinki-NLP/opus-mt-en-fr")) == MISSING
    assert status(ModelRef("Helsinki-NLP/opus-mt-en-de", revision="v9")) == MISSING  # no refs/v9
    assert status(ModelRef("Helsinki-NLP/opus-mt-en-de", revision=SHA)) == CACHED
    assert status(ModelRef("Helsinki-NLP/opus-mt-en-de"), cache_dir=tmp_path / "elsewhere") == MISSING


def test_config_without_weights_is_not_cached(hub_cache):
    """An interrupted download leaves config.json without weights: an offline run would still fail."""
    fake_snapshot(hub_cache, "org/half", ["config.json"])
    assert status(ModelRef("org/half")) == MISSING
    fake_snapshot(hub_cache, "org/bin-only", ["config.json", "pytorch_model.bin"])
    assert status(ModelRef("org/bin-only")) == CACHED


# --- download patterns -------------------------------------------------------------------------------------


def test_safetensors_are_preferred_and_other_formats_skipped():
    patterns, kind = download_patterns(REPO_FILES)
    assert kind == "safetensors"
    assert "model.safetensors" in patterns and "pytorch_model.bin" not in patterns
    assert {"config.json", "generation_config.json", "vocab.json", "merges.txt", "tokenizer_config.json",
            "special_tokens_map.json", "source.spm"} <= set(patterns)
    assert not {"tf_model.h5", "flax_model.msgpack", "rust_model.ot", "README.md", ".gitattributes"} & set(patterns)
    assert not any(p.startswith("onnx/") for p in patterns)


def test_bin_weights_when_there_are_no_safetensors():
    files = [f for f in REPO_FILES if f != "model.safetensors"] + ["pytorch_model.bin.index.json"]
    patterns, kind = download_patterns(files)
    assert kind == "pytorch .bin" and {"pytorch_model.bin", "pytorch_model.bin.index.json"} <= set(patterns)


def test_sharded_safetensors_drop_the_bin_index():
    files = ["config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
             "model.safetensors.index.json", "pytorch_model.bin.index.json", "pytorch_model-00001-of-00002.bin"]
    patterns, _ = download_patterns(files)
    assert patterns == ["config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
                        "model.safetensors.index.json"]


def test_a_repo_without_pytorch_weights_is_refused():
    with pytest.raises(PullError, match="no PyTorch weights"):
        download_patterns(["config.json", "tf_model.h5"])


def test_remote_code_files_only_when_trusted():
    files = ["config.json", "model.safetensors", "modeling_custom.py"]
    assert "modeling_custom.py" not in download_patterns(files)[0]
    assert "modeling_custom.py" in download_patterns(files, trust_remote_code=True)[0]


# --- pull --------------------------------------------------------------------------------------------------


def test_pull_downloads_safetensors_with_the_revision(fake_hub, hub_cache):
    fake_hub.repos["sshleifer/distilbart-cnn-12-6"] = REPO_FILES
    outcome = pull(ModelRef("sshleifer/distilbart-cnn-12-6", "abc123"))
    (call,) = fake_hub.calls
    assert call["repo_id"] == "sshleifer/distilbart-cnn-12-6" and call["revision"] == "abc123"
    assert "model.safetensors" in call["allow_patterns"] and "pytorch_model.bin" not in call["allow_patterns"]
    assert outcome.startswith("downloaded") and "safetensors" in outcome


def test_pull_of_a_local_folder_is_a_no_op(tiny_models, fake_hub):
    assert pull(ModelRef(str(tiny_models["opus-mt-en-de"]))) == LOCAL
    assert not fake_hub.calls and not fake_hub.listed


def test_pull_refuses_when_offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(PullError, match="HF_HUB_OFFLINE") as err:
        pull(ModelRef("Helsinki-NLP/opus-mt-en-de"))
    assert "\n" not in str(err.value) and "Helsinki-NLP/opus-mt-en-de" in str(err.value)


def test_offline_env_set_after_import_still_refuses(monkeypatch):
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "true")
    with pytest.raises(PullError, match="HF_HUB_OFFLINE"):
        pull(ModelRef("Helsinki-NLP/opus-mt-en-de"))


def test_unknown_model_is_one_line(fake_hub):
    with pytest.raises(NotOnHub, match=r"^org/nope: no such model on the hub"):
        pull(ModelRef("org/nope"))


class TransportError(Exception):
    """Stands in for httpx's / httpx2's base class of connection errors (matched by name)."""


class ConnectError(TransportError):
    pass


@pytest.mark.parametrize("error", [ConnectError("[Errno -2] Name or service not known"), ConnectionError("refused"),
                                   TimeoutError("timed out")])
def test_no_network_is_cannot_reach_the_hub(fake_hub, monkeypatch, error):
    def down(self, repo_id, **kwargs):
        raise error

    monkeypatch.setattr(huggingface_hub.HfApi, "list_repo_files", down)
    with pytest.raises(HubUnreachable, match=r"^org/x: cannot reach the hub \("):
        pull(ModelRef("org/x"))


def test_pull_all_falls_back_to_the_pivot_route(fake_hub):
    for pair in ("en-de", "fr-en"):
        fake_hub.repos[f"Helsinki-NLP/opus-mt-{pair}"] = ["config.json", "model.safetensors", "source.spm"]
    fake_hub.repos["sshleifer/distilbart-cnn-12-6"] = REPO_FILES
    refs = required_models(load_config(to="de"), sources=("en", "fr"))
    outcomes = list(pull_all(refs))
    assert [(o.ref.id, o.ok, o.replaced) for o in outcomes] == [
        ("sshleifer/distilbart-cnn-12-6", True, False),
        ("Helsinki-NLP/opus-mt-en-de", True, False),
        ("Helsinki-NLP/opus-mt-fr-de", True, True),  # not on the hub: fine, the run pivots through English
        ("Helsinki-NLP/opus-mt-fr-en", True, False),
    ]
    assert "no such model on the hub" in outcomes[2].message
    assert [c["repo_id"] for c in fake_hub.calls].count("Helsinki-NLP/opus-mt-en-de") == 1


def test_pull_all_reports_a_missing_explicit_model(fake_hub):
    outcomes = list(pull_all([ModelRef("org/typo", role="summarizer")]))
    assert [(o.ok, o.replaced) for o in outcomes] == [(False, False)]


def test_pull_all_stops_asking_once_the_hub_is_unreachable(fake_hub, monkeypatch):
    def down(self, repo_id, **kwargs):
        fake_hub.listed.append(repo_id)
        raise ConnectionError("no route to host")

    monkeypatch.setattr(huggingface_hub.HfApi, "list_repo_files", down)
    outcomes = list(pull_all(required_models(load_config())))
    assert len(outcomes) == 4 and not any(o.ok for o in outcomes)
    assert fake_hub.listed == ["sshleifer/distilbart-cnn-12-6"]
    assert all("cannot reach the hub" in o.message for o in outcomes)


def test_pull_converts_for_ct2(tiny_models, tmp_path, monkeypatch):
    pytest.importorskip("ctranslate2")
    monkeypatch.setenv("DIGEST_CACHE", str(tmp_path / "digest-cache"))
    ref = ModelRef(str(tiny_models["opus-mt-en-de"]))
    assert pull(ref, "ct2", device="cpu") == "local folder, converted for ct2 (int8)"
    assert pull(ref, "ct2", device="cpu") == "local folder, already converted for ct2 (int8)"
    assert list((tmp_path / "digest-cache" / "ct2").glob("*/model.bin"))


# --- CLI ---------------------------------------------------------------------------------------------------


def test_models_help_has_the_cron_hint(runner):
    for args in (["models"], ["models", "pull"], ["models", "list"]):
        result = runner.invoke(cli, [*args, "--help"])
        assert result.exit_code == 0, result.output
    assert "HF_HUB_OFFLINE=1" in runner.invoke(cli, ["models", "--help"]).output
    assert "HF_HUB_OFFLINE=1" in runner.invoke(cli, ["models", "pull", "--help"]).output


def test_list_prints_role_model_status(runner, hub_cache):
    fake_snapshot(hub_cache, "Helsinki-NLP/opus-mt-en-de", ["config.json", "model.safetensors"])
    result = runner.invoke(cli, ["models", "list", "-c", str(CONFIGS / "default.yaml")])
    assert result.exit_code == 1, result.output  # the summarizer is missing: an offline run would fail
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ROLE", "MODEL", "STATUS"]
    assert lines[1].split() == ["summarizer", "sshleifer/distilbart-cnn-12-6", "missing"]
    assert lines[2].split() == ["translation", "en→de", "Helsinki-NLP/opus-mt-en-de", "cached"]
    assert len(lines) == 5


def test_list_with_other_sources_mentions_the_pivot_fallback(runner, hub_cache):
    result = runner.invoke(cli, ["models", "list", "--from", "en,fr", "--to", "de"])
    assert result.exit_code == 1, result.output  # nothing is cached here
    assert "Helsinki-NLP/opus-mt-fr-de" in result.stdout
    assert "falls back to the pivot route, which also needs: Helsinki-NLP/opus-mt-fr-en (missing)" in result.stdout


def test_list_local_folders(runner, tiny_config_file):
    result = runner.invoke(cli, ["models", "list", "-c", str(tiny_config_file)])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("local folder") == 3  # bart, opus-mt-en-de, opus-mt-en-fr


def test_list_bad_config_is_exit_2(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("summarizer: {modle: x}\n", encoding="utf-8")
    result = runner.invoke(cli, ["models", "list", "-c", str(bad)])
    assert result.exit_code == 2 and "summarizer.modle" in result.stderr


def test_pull_offline_is_one_line_and_exit_1(runner):
    result = runner.invoke(cli, ["models", "pull"])  # conftest sets HF_HUB_OFFLINE=1
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "HF_HUB_OFFLINE" in result.stderr
    assert result.stdout == ""


def test_pull_local_folders_works_offline(runner, tiny_config_file):
    result = runner.invoke(cli, ["models", "pull", "-c", str(tiny_config_file), "--engine", "hf"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("local folder") == 3
    assert all(line.startswith("ok") for line in result.stdout.splitlines())


def test_pull_exit_codes(runner, fake_hub):
    for pair in ("en-de", "en-fr"):
        fake_hub.repos[f"Helsinki-NLP/opus-mt-{pair}"] = ["config.json", "model.safetensors", "source.spm"]
    fake_hub.repos["sshleifer/distilbart-cnn-12-6"] = REPO_FILES
    ok = runner.invoke(cli, ["models", "pull", "--to", "de,fr"])
    assert ok.exit_code == 0, ok.output
    assert len(ok.stdout.splitlines()) == 3 and "downloaded" in ok.stdout
    some_failed = runner.invoke(cli, ["models", "pull", "--to", "de,fr,es"])
    assert some_failed.exit_code == 1
    assert "FAIL translation en→es: Helsinki-NLP/opus-mt-en-es: no such model on the hub" in some_failed.stderr


def test_models_list_imports_no_heavy_library():
    """`models list` only reads the config and the cache layout: it must answer at once on a cron box."""
    probe = (
        "import sys\nfrom digest.cli import cli\n"
        "try:\n    cli(['models', 'list'], prog_name='digest')\nexcept SystemExit:\n    pass\n"
        "print('HEAVY', sorted(m for m in ('torch', 'transformers', 'ctranslate2') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in done.stdout, done.stdout + done.stderr
