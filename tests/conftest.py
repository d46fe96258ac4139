"""Shared fixtures: tiny random-weight models built once per session, and no network, ever."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Set before anything imports huggingface_hub / transformers (they read these at import time):
# a test that asks for a hub id fails fast instead of downloading.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

TESTS_DIR = Path(__file__).resolve().parent
if str(TESTS_DIR) not in sys.path:  # `from newsroom_records import ...` and other test helpers in any import mode
    sys.path.insert(0, str(TESTS_DIR))

import pytest  # noqa: E402

from digest.testing.tiny_models import build_tiny_models  # noqa: E402


@pytest.fixture(scope="session")
def _tiny_models_built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    root = tmp_path_factory.mktemp("tiny-models")
    return root, build_tiny_models(root)


@pytest.fixture(scope="session")
def tiny_models(_tiny_models_built: tuple[Path, dict[str, Path]]) -> dict[str, Path]:
    """{key: folder} of the tiny models; load with AutoTokenizer/AutoModelForSeq2SeqLM.from_pretrained(folder).

    Keys: bart, t5, opus-mt-en-de, opus-mt-en-fr, opus-mt-en-es, opus-mt-fr-en, opus-mt-de-en,
    m2m100, pegasus, nllb.  Shared by the whole session: do not write into these folders.
    """
    return dict(_tiny_models_built[1])


@pytest.fixture(scope="session")
def models_root(_tiny_models_built: tuple[Path, dict[str, Path]]) -> Path:
    """The folder holding every tiny model, named by key: ``models_root / "opus-mt-en-de"``."""
    return _tiny_models_built[0]


CORPUS = TESTS_DIR / "data" / "corpus"


@pytest.fixture(scope="session")
def milley_raw() -> str:
    """The scraped seed article, boilerplate and all."""
    return (CORPUS / "milley-briefing.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def milley_text(milley_raw: str) -> str:
    """The seed article after the default cleaning rules."""
    from digest.inputs.discover import read_articles

    (article,) = read_articles([CORPUS / "milley-briefing.txt"])
    return article.text


def tiny_settings(models_root: Path) -> dict:
    """Config data that routes every task to a tiny model: greedy, short outputs, CPU."""
    return {
        "device": "cpu",
        "batch_size": 4,
        "targets": ["de", "fr"],
        "summarizer": {
            "model": str(models_root / "bart"),
            "generation": {"num_beams": 1, "min_length": 3, "max_length": 12, "length_penalty": 1.0,
                           "no_repeat_ngram_size": 0},
        },
        "translation": {
            "pattern": f"{models_root}/opus-mt-{{src}}-{{tgt}}",
            "generation": {"num_beams": 1, "max_length": 16},
        },
    }


@pytest.fixture(scope="session")
def tiny_config_file(models_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    import yaml

    path = tmp_path_factory.mktemp("config") / "tiny.yaml"
    path.write_text(yaml.safe_dump(tiny_settings(models_root)), encoding="utf-8")
    return path


@pytest.fixture
def tiny_config(tiny_config_file: Path):
    """A fresh Config per test: a test that changes it cannot leak into the next one."""
    from digest.config import load_config

    return load_config(tiny_config_file)
