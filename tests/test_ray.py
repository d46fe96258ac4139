"""The Ray executor: same outputs as the local one, resumable across executors, failures isolated, CLI flag.

One local Ray (2 CPUs) for the whole module; each run on Ray starts its actors afresh (a few seconds each), so
the module keeps the number of Ray runs small (three) and reuses their outputs: the main one goes through the CLI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from click.testing import CliRunner
from conftest import tiny_settings

from digest import Digester
from digest.cli import cli
from digest.config import ConfigError, apply_overrides, load_config
from digest.errors import DigestError
from digest.run.ray_executor import RAY_MISSING, _actor_config, _connect

ray = pytest.importorskip("ray")  # only for installs without the extra; CI installs digest[ray]

# Ray Data's own DataContext copies trip its deprecation warnings; nothing of ours
pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context"),
              pytest.mark.slow]  # a local Ray cluster takes 20-60 s to start

#: three batches of at most two articles for two actors: order, streaming and both actors are exercised
RAY_SETTINGS = {"ray": {"concurrency": 2, "num_cpus": 1, "batch_size": 2}}


@pytest.fixture(scope="module", autouse=True)
def ray_cluster():
    """A local Ray for this module; run_on_ray sees it initialized and joins it instead of starting one."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def ray_config_file(models_root, tmp_path_factory) -> Path:
    """The tiny config with small actor batches; the executor is still `local` until a flag or override says ray."""
    path = tmp_path_factory.mktemp("ray-config") / "tiny-ray.yaml"
    path.write_text(yaml.safe_dump({**tiny_settings(models_root), **RAY_SETTINGS}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def ray_config(ray_config_file):
    return load_config(ray_config_file, executor="ray")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, milley_raw) -> Path:
    """Five articles (one in a language no model translates) and a file that is not an article."""
    root = tmp_path_factory.mktemp("ray-in")
    (root / "milley-briefing.txt").write_text(milley_raw, encoding="utf-8")
    (root / "notes.md").write_text("# Council vote\n\nThe council approved the budget on Tuesday. "
                                   "The mayor said the vote was historic.\n", encoding="utf-8")
    lines = [
        {"id": "fr-1", "title": "Le budget", "language": "fr",
         "text": "Le conseil municipal a voté le budget mardi. Le maire a salué un vote historique."},
        {"id": "en-2", "title": "Rain", "url": "https://example.org/rain",
         "text": "Heavy rain flooded several streets in the old town on Sunday night."},
        {"id": "odd-1", "title": "Odd", "language": "xx", "text": "Zorb vel quinta marot sel dravi on Tuesday."},
    ]
    (root / "feed.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return root


@pytest.fixture(scope="module")
def on_ray(ray_config_file, inputs, tmp_path_factory):
    """`digest run --executor ray` (the config file says local): the CLI result and OUT."""
    out = tmp_path_factory.mktemp("out-ray")
    result = CliRunner().invoke(cli, ["run", str(inputs), "-o", str(out), "-c", str(ray_config_file),
                                      "--executor", "ray"])
    return result, out


@pytest.fixture(scope="module")
def on_local(tiny_config_file, inputs, tmp_path_factory):
    return Digester(load_config(tiny_config_file), progress=False).run([inputs], tmp_path_factory.mktemp("out-local"))


def _records(out: Path) -> dict[str, dict]:
    records = {}
    for path in sorted((out / "articles").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        record.pop("created")
        records[path.name] = record
    return records


def _files(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())


def _manifest(out: Path) -> list[dict]:
    """The entries without `attempted`, the one field two runs never share."""
    lines = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return [{k: v for k, v in json.loads(line).items() if k != "attempted"} for line in lines]


def _statuses(manifest: list[dict]) -> dict[str, tuple[str, str | None]]:
    """{id: (status, reason)}; a file that is no article is listed by its name."""
    return {Path(entry["id"]).name: (entry["status"], entry.get("reason")) for entry in manifest}


UP_TO_DATE = dict.fromkeys(["milley-briefing", "notes", "fr-1", "en-2"], ("skipped", "up to date"))


def test_ray_and_local_write_the_same_outputs(on_ray, on_local):
    _, out = on_ray
    assert _files(out) == _files(on_local.out_dir)
    ray_records, local_records = _records(out), _records(on_local.out_dir)
    assert sorted(ray_records) == ["en-2.json", "fr-1.json", "milley-briefing.json", "notes.json", "odd-1.json"]
    assert ray_records == local_records  # greedy decoding: the same summaries and translations, word for word
    assert _manifest(out) == _manifest(on_local.out_dir)  # the same entries, in the same order
    stamp = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC")
    for page in ("digest.en.md", "digest.de.html", "digest.fr.md"):
        texts = [stamp.sub("", (folder / page).read_text(encoding="utf-8")) for folder in (out, on_local.out_dir)]
        assert texts[0] == texts[1], page


def test_cli_on_ray_isolates_a_failing_article(on_ray):
    result, out = on_ray
    assert result.exit_code == 1, result.output  # some article failed, the rest is written
    statuses = _statuses(_manifest(out))
    assert {k: v[0] for k, v in statuses.items()} == {
        "milley-briefing": "ok", "notes": "ok", "fr-1": "ok", "en-2": "ok", "odd-1": "failed", "logo.png": "skipped",
    }
    assert statuses["odd-1"][1].startswith("translate de: no translation route xx→de")
    odd = json.loads((out / "articles" / "odd-1.json").read_text(encoding="utf-8"))
    assert odd["summaries"]["xx"] and odd["errors"] and "cache_key" not in odd  # kept, and redone next run
    lines = result.stderr.splitlines()
    assert lines[0].startswith("digest: /") and lines[0].endswith("/logo.png: skipped: unsupported file type .png")
    assert lines[1].startswith("digest: ") and "feed.jsonl:3: translate de: no translation route" in lines[1]
    assert lines[-1].startswith("digest: 4 ok, 1 failed, 1 skipped")
    assert not any(" INFO " in line for line in lines)  # Ray Data's info lines stay in its log file


def test_local_rerun_after_ray_is_up_to_date(on_ray, tiny_config, inputs, tmp_path):
    out = shutil.copytree(on_ray[1], tmp_path / "out")
    statuses = _statuses(Digester(tiny_config, progress=False).run([inputs], out).manifest)
    assert statuses.pop("odd-1")[0] == "failed"  # failed articles are retried, and fail again
    assert statuses.pop("logo.png") == ("skipped", "unsupported file type .png")
    assert statuses == UP_TO_DATE


def test_ray_rerun_after_local_is_up_to_date(on_local, ray_config, inputs, tmp_path):
    out = shutil.copytree(on_local.out_dir, tmp_path / "out")
    statuses = _statuses(Digester(ray_config, progress=False).run([inputs], out).manifest)  # odd-1 goes to Ray
    assert statuses.pop("odd-1")[0] == "failed"
    assert statuses.pop("logo.png") == ("skipped", "unsupported file type .png")
    assert statuses == UP_TO_DATE
    assert _records(out) == _records(on_local.out_dir)


#: Ray runs this in each worker process it starts. `BatchProcessor.process` kills its actor's process (os._exit, as the
#: OOM killer would) the first time it is called in the whole cluster, and every time it gets an article "poison"
DYING_ACTORS = """
import os


def setup():
    import digest.run.batch

    original = digest.run.batch.BatchProcessor.process

    def process(self, batch, progress=None):
        if any(article.id == "poison" for article, _ in batch):
            os._exit(1)
        try:
            os.close(os.open(os.environ["DIE_ONCE_MARKER"], os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return original(self, batch, progress)
        os._exit(1)

    digest.run.batch.BatchProcessor.process = process
"""


#: Ray runs this in each worker process it starts: a bug (TypeError) in one stage for one article each, as long
#: as the file BUGS_OFF does not exist. Summaries are extractive, so the markers reach the translation model.
BUGGY_ACTORS = """
import os


def bug(when):
    return when and not os.path.exists(os.environ["BUGS_OFF"])


def setup():
    import digest.records
    import digest.run.batch
    import digest.run.summarizer
    import digest.run.translator

    summarize = digest.run.summarizer.Summarizer.summarize
    translate = digest.run.translator.Translator.translate
    check_record = digest.run.batch.check_record
    to_json = digest.records.ArticleRecord.to_json

    def broken_summarize(self, texts, languages=None):
        if bug(any("Sbug" in text for text in texts)):
            raise TypeError("summarize bug")
        return summarize(self, texts, languages)

    def broken_translate(self, texts, src, tgt):
        if bug(any("Tbug" in text for text in texts)):
            raise TypeError("translate bug")
        return translate(self, texts, src, tgt)

    def broken_checks(record, glossary):
        if bug(record.id == "checks"):
            raise TypeError("checks bug")
        return check_record(record, glossary)

    def broken_to_json(self):
        if bug(self.id == "write"):
            raise TypeError("write bug")
        return to_json(self)

    digest.run.summarizer.Summarizer.summarize = broken_summarize
    digest.run.translator.Translator.translate = broken_translate
    digest.run.batch.check_record = broken_checks
    digest.records.ArticleRecord.to_json = broken_to_json
"""

#: the article that hits each stage's bug; "fine" hits none
BUGGY = {"fine": "The harbour reopened on Monday after a strike ended.",
         "summarize": "Sbug: the council will build three new schools in the north, it said on Friday.",
         "translate": "Tbug: a rail line between the two largest cities opened on Sunday morning.",
         "checks": "The museum will close for a year of repairs from March, its director said.",
         "write": "Farmers expect a record wheat harvest after a mild and wet spring this year."}


@pytest.fixture(scope="module")
def faulty_ray(ray_config_file, inputs, tmp_path_factory):
    """Four runs in a driver of its own with a local Ray of its own whose workers carry both setup hooks above (a
    hook must be given when Ray starts, and each Ray start costs 20-60 s): the module's inputs (an actor dies once),
    four articles and one that kills every actor it reaches, then one buggy article per stage, with the bugs and
    after them."""
    tmp = tmp_path_factory.mktemp("faulty")
    hooks = (DYING_ACTORS.replace("def setup():", "def dying():") + BUGGY_ACTORS.replace("def setup():", "def buggy():")
             + "\n\ndef setup():\n    dying()\n    buggy()\n")
    (tmp / "faulty_actors.py").write_text(hooks, encoding="utf-8")
    poisoned = tmp / "poisoned"
    poisoned.mkdir()
    for name in ("a1", "a2", "a3", "a4", "poison"):
        # distinct stories: identical texts would be one story cluster, and only its lead would reach an actor
        (poisoned / f"{name}.txt").write_text(f"{name}\nThe council of {name} approved the {name} budget for {name} "
                                              "on Tuesday.\n", "utf-8")
    (tmp / "buggy").mkdir()
    for key, text in BUGGY.items():
        (tmp / "buggy" / f"{key}.json").write_text(json.dumps({"id": key, "title": key.title(), "language": "en",
                                                                "text": text}), encoding="utf-8")
    config = yaml.safe_load(ray_config_file.read_text(encoding="utf-8"))
    config.update(summarizer={"model": "extractive"}, targets=["de"])  # so the markers reach the translation model
    (tmp / "extractive.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    # the workers import the hook from `tmp` and the same digest as this process (not only the installed one)
    pythonpath = os.pathsep.join(p for p in (str(tmp), os.environ.get("PYTHONPATH", "")) if p)
    env = {"PYTHONPATH": pythonpath, "DIE_ONCE_MARKER": str(tmp / "died"), "BUGS_OFF": str(tmp / "off")}
    driver = textwrap.dedent(f"""
        import json
        import pathlib
        import shutil
        import ray
        from digest import Digester
        from digest.config import load_config

        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False,
                 runtime_env={{"worker_process_setup_hook": "faulty_actors.setup", "env_vars": {env!r}}})
        digester = Digester(load_config({str(ray_config_file)!r}, executor="ray"), progress=False)
        for name, folder in (("once", {str(inputs)!r}), ("poison", {str(poisoned)!r})):
            result = digester.run([folder], {str(tmp)!r} + "/" + name)
            print("RESULT", json.dumps([result.counts, result.exit_code]))
        digester = Digester(load_config({str(tmp / "extractive.yaml")!r}, executor="ray"), progress=False)
        for name in ("bugs", "fixed"):
            if name == "fixed":  # the second run goes on from the first one's OUT, the bugs gone
                shutil.copytree({str(tmp)!r} + "/bugs", {str(tmp)!r} + "/fixed")
                pathlib.Path({str(tmp / "off")!r}).touch()
            result = digester.run([{str(tmp / "buggy")!r}], {str(tmp)!r} + "/" + name)
            traces = [bool(entry.trace) for entry in result.entries if entry.internal]
            print("RESULT", json.dumps([result.counts, result.exit_code, traces]))
    """)
    done = subprocess.run([sys.executable, "-c", driver], capture_output=True, text=True, timeout=400)
    assert done.returncode == 0, done.stderr[-3000:]
    results = [json.loads(line[7:]) for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    return SimpleNamespace(root=tmp, once=results[0], poison=results[1], bugs=results[2], fixed=results[3])


def test_an_actor_that_dies_mid_batch_is_restarted_and_the_run_completes(faulty_ray, on_local):
    assert (faulty_ray.root / "died").exists()  # an actor did die
    assert faulty_ray.once == [{"ok": 4, "failed": 1, "skipped": 1, "unchanged": 0}, 1]  # odd-1 fails as in every run
    out = faulty_ray.root / "once"
    assert _records(out) == _records(on_local.out_dir)  # the retried batch gave the same outputs
    assert _manifest(out) == _manifest(on_local.out_dir)


def test_an_article_that_always_kills_its_actor_fails_the_unfinished_articles_not_the_finished_ones(faulty_ray):
    out = faulty_ray.root / "poison"
    counts, exit_code = faulty_ray.poison
    assert exit_code == 1 and counts["failed"] >= 1 and counts["ok"] + counts["failed"] == 5
    statuses = _statuses(_manifest(out))
    assert sorted(statuses) == ["a1", "a2", "a3", "a4", "poison"]
    gave_up = "not digested: Ray gave up on a batch after 4 actor restarts: "
    assert statuses["poison"][0] == "failed" and statuses["poison"][1].startswith(gave_up)
    assert "\n" not in statuses["poison"][1]
    for name, (status, reason) in statuses.items():
        written = (out / "articles" / f"{name}.json").exists()
        assert (status, written) == ("ok", True) or (status == "failed" and reason.startswith(gave_up)
                                                      and not written)
    assert (out / "digest.en.md").exists() == (counts["ok"] > 0)


def test_a_bug_in_one_stage_on_an_actor_costs_one_article(faulty_ray):
    counts, exit_code, traces = faulty_ray.bugs
    assert exit_code == 4 and counts == {"ok": 1, "failed": 4, "skipped": 0, "unchanged": 0}
    assert traces == [True] * 4  # each bug's traceback came back from its actor for the log
    out = faulty_ray.root / "bugs"
    statuses = _statuses(_manifest(out))
    assert statuses.pop("fine") == ("ok", None)
    for stage, (status, reason) in statuses.items():
        assert status == "failed" and reason.endswith(f"internal error in {stage}: TypeError: {stage} bug"), reason
    assert all((out / "articles" / f"{key}.json").exists() == (key in ("fine", "translate", "checks"))
               for key in BUGGY)  # a bug after the summary keeps it (without a cache key) for the next run
    assert "Fine" in (out / "digest.en.html").read_text(encoding="utf-8")  # (the tiny model garbles it in de)
    assert all((out / name).is_file() for name in ("digest.de.html", "feed.en.atom", "feed.de.atom"))
    assert faulty_ray.fixed[:2] == [{"ok": 4, "failed": 0, "skipped": 1, "unchanged": 0}, 0]  # fine: up to date
    fixed = _statuses(_manifest(faulty_ray.root / "fixed"))
    assert all(fixed[key] == ("ok", None) for key in BUGGY if key != "fine")


def test_cli_model_that_cannot_load_on_an_actor_is_a_setup_error(tiny_config_file, inputs, tmp_path):
    result = CliRunner().invoke(cli, ["run", str(inputs / "notes.md"), "-o", str(tmp_path), "-c",
                                      str(tiny_config_file), "--executor", "ray", "--summary-model",
                                      str(tmp_path / "no-such-model"), "--quiet"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("digest: error: cannot load model") and result.stderr.count("\n") == 1


def test_cli_without_ray_installed_says_how_to_get_it(tiny_config_file, inputs, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now raises ImportError
    result = CliRunner().invoke(cli, ["run", str(inputs / "notes.md"), "-o", str(tmp_path), "-c",
                                      str(tiny_config_file), "--executor", "ray", "--quiet"])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"digest: error: {RAY_MISSING}\n"


def test_actor_threads_follow_the_cpus_each_actor_reserves(ray_config):
    assert _actor_config(apply_overrides(ray_config, {"ray.num_cpus": 4})).threads == 4
    assert _actor_config(apply_overrides(ray_config, {"ray.num_cpus": 0.5})).threads == 1
    assert _actor_config(apply_overrides(ray_config, {"threads": 3})).threads == 3  # an explicit setting wins


@pytest.mark.parametrize(("error", "kind", "says"), [
    (ConnectionError("Could not find any running Ray instance."), ConfigError, "ray.address 'auto'"),
    (ValueError("Invalid address format: nonsense"), ConfigError, "ray.address 'auto'"),
    (ValueError("Ray Client requires pip package `ray[client]`: pip install ray[client]"), ImportError, "pip install"),
])
def test_cluster_that_cannot_be_reached_is_a_one_line_user_error(error, kind, says):
    def init(**kwargs):
        raise error

    with pytest.raises(kind) as caught:
        _connect(SimpleNamespace(init=init), "auto")
    assert isinstance(caught.value, DigestError)  # so the CLI reports it by type, with its exit code
    assert str(error) in str(caught.value)
    assert says in str(caught.value)
