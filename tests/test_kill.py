"""A clustered run killed with SIGKILL at any point keeps every record it had finished, and the next run only
does the rest: records are saved one by one as they are made, leads and their story's copies alike."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from digest import Digester
from digest.config import load_config

STORIES = {
    "harbour": "The harbour reopened on Monday after a two-week strike by dock workers ended. Ships had queued "
               "outside the port for days. Officials said 40 vessels would be unloaded by Friday. The union said "
               "its members had won a pay rise of 6 percent over two years.",
    "schools": "The city will build three new schools in the northern district, the council said on Tuesday. "
               "Construction starts in spring and should take two years. Parents had asked for more places for "
               "years. The schools will cost 90 million euros in all.",
    "rail": "A new rail line between the two largest cities opened on Sunday. The trip now takes 90 minutes "
            "instead of three hours. Tickets sold out within hours of the first announcement. The operator "
            "plans twelve trains a day in each direction.",
    "museum": "The national museum will close for a year of repairs from March, its director said. The roof "
              "leaks and the heating dates from 1970. Part of the collection will tour other cities meanwhile. "
              "The work is paid for by the state and a private foundation.",
}
ALONE = {
    "harvest": "Farmers expect a record wheat harvest after a mild and wet spring. Prices fell by a tenth on the "
               "news. Exporters said they had already sold most of the crop abroad.",
    "bridge": "The old bridge over the river will be closed to cars from May for safety checks. Buses and "
              "bicycles may still cross it. A temporary ferry will run every twenty minutes.",
}
#: kill the run right after its k-th record is saved: between the copies of one story, and after the lead of another
KILL_AFTER = (1, 5)

#: the run in a process of its own, which SIGKILLs itself right after the k-th record is saved
KILLED_RUN = textwrap.dedent("""
    import os
    import signal
    import sys

    from digest import Digester
    from digest.config import load_config
    from digest.output.store import Store

    save, saved, kill_after = Store.save, [], int(sys.argv[3])

    def save_then_die(self, record):
        path = save(self, record)
        saved.append(record.id)
        if len(saved) == kill_after:
            os.kill(os.getpid(), signal.SIGKILL)
        return path

    Store.save = save_then_die
    config = load_config(None, summary_model="extractive", targets=[], device="cpu")
    Digester(config, progress=False).run([sys.argv[1]], sys.argv[2])
""")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """Four stories that each arrive twice (an outlet's copy with a line of its own) and two that arrive once."""
    root = tmp_path_factory.mktemp("kill-in")
    for key, text in STORIES.items():
        for n, outlet in enumerate(("Wire", "Herald")):
            body = text if n == 0 else f"{text} {outlet} staff contributed to this report."
            (root / f"{key}-{n}.json").write_text(json.dumps({"id": f"{key}-{n}", "title": key.title(),
                                                               "language": "en", "site": outlet, "text": body}))
    for key, text in ALONE.items():
        (root / f"{key}.json").write_text(json.dumps({"id": key, "title": key.title(), "language": "en",
                                                      "text": text}))
    return root


def _digester() -> Digester:
    return Digester(load_config(None, summary_model="extractive", targets=[], device="cpu"), progress=False)


def _records(out: Path) -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in (out / "articles").glob("*.json")}


@pytest.fixture(scope="module")
def clean(inputs, tmp_path_factory) -> dict[str, dict]:
    """The records of a run nobody killed."""
    out = tmp_path_factory.mktemp("kill-clean")
    result = _digester().run([inputs], out)
    assert result.counts["ok"] == 10 and result.exit_code == 0
    assert sum(1 for r in _records(out).values() if r.get("cluster")) == 8  # four stories of two copies each
    return _records(out)


def _same(record: dict, expected: dict) -> bool:
    return {k: v for k, v in record.items() if k != "created"} == {k: v for k, v in expected.items()
                                                                  if k != "created"}


@pytest.mark.parametrize("kill_after", KILL_AFTER)
def test_a_killed_clustered_run_keeps_every_finished_record(kill_after, inputs, clean, tmp_path, monkeypatch):
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-c", KILLED_RUN, str(inputs), str(out), str(kill_after)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
    kept = _records(out)
    assert len(kept) == kill_after  # every record saved before the kill is there, whole
    assert all(_same(record, clean[key]) for key, record in kept.items())

    digester = _digester()
    summarized: list[str] = []
    real = digester.summarizer.summarize
    monkeypatch.setattr(digester.summarizer, "summarize",
                        lambda texts, languages=None: summarized.extend(texts) or real(texts, languages))
    result = digester.run([inputs], out)
    assert result.exit_code == 0 and result.counts["failed"] == 0
    assert {e["id"]: e["status"] for e in result.manifest} == dict.fromkeys(clean, "ok") | dict.fromkeys(
        kept, "skipped")  # what was finished is up to date, not done again
    assert not any(clean[key]["text"] in summarized for key in kept if not clean[key].get("cluster"))
    again = _records(out)
    assert all(again[key]["created"] == record["created"] for key, record in kept.items())
    assert set(again) == set(clean)
    bad = {key: {k: (again[key].get(k), v) for k, v in clean[key].items() if k != "created" and again[key].get(k) != v}
           for key in clean if not _same(again[key], clean[key])}
    assert not bad, bad
