"""benchmarks/checks.py on a few pairs of its own, so that the injected errors and the tally cannot rot unseen."""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from checks import (  # noqa: E402
    bench_direction,
    change_number,
    drop_name,
    main,
    shared_names,
    transliterated_names,
)

PAIRS = [
    ("Der Bürgermeister Olaf Scholz besuchte am Montag Hamburg mit 2.000 Gästen.",
     "Mayor Olaf Scholz visited Hamburg on Monday with 2,000 guests."),
    ("Die Firma Siemens baute 300 Züge für die Deutsche Bahn.",
     "The company Siemens built 300 trains for Deutsche Bahn."),
    ("In Berlin demonstrierten 5.000 Menschen gegen den Plan.",
     "In Berlin, 5,000 people demonstrated against the plan."),
    ("Angela Merkel sprach in Brüssel über die Zukunft der EU.",
     "Angela Merkel spoke in Brussels about the future of the EU."),
]


def test_injections_change_what_they_say():
    changed = change_number("It cost 2,000 euros.", random.Random(1))
    assert changed != "It cost 2,000 euros." and changed.endswith(",000 euros.")  # the leading digit, not the format
    assert change_number("No number here.", random.Random(1)) is None
    source, output = PAIRS[0]
    assert shared_names(source, output) == ["Olaf Scholz", "Hamburg"]  # "Mayor" opens the sentence: not shared
    assert drop_name(output, "Hamburg") == "Mayor Olaf Scholz visited on Monday with 2,000 guests."


def test_names_across_scripts_are_matched_by_the_benchmarks_own_rule():
    # the first four letters in Latin letters, either way round ("bayd" is no "bide", "zhen" no "gene"); never
    # sentence-initial, never within one script
    assert transliterated_names("Вчера Путина и Байдена ждали в Женеве.", "Yesterday Putin and Biden were expected "
                                "in Geneva.") == ["Putin"]
    assert transliterated_names("Yesterday Putin met Biden.", "Вчера Путин встретился с Байденом.") == ["Путин"]
    assert transliterated_names("Yesterday Putin met Biden.", "Gestern traf Putin Biden.") == []


def test_bench_direction_counts_false_alarms_and_caught_errors(tmp_path):
    tsv = tmp_path / "wmt.de-en.tsv"
    tsv.write_text("".join(f"{s}\t{t}\n" for s, t in PAIRS), encoding="utf-8")
    result = bench_direction(tsv, "de-en")
    assert result["faithful"]["n"] == 4 and result["faithful"]["flagged_pct"] == 0.0
    caught = result["caught"]
    assert caught["untranslated"] == {"n": 4, "caught_pct": 100.0}
    assert caught["number"]["n"] == 3 and caught["number"]["caught_pct"] == 100.0
    assert caught["name dropped"]["n"] == 4 and caught["name dropped"]["caught_pct"] == 100.0
    assert caught["sentence dropped"]["n"] == 1


def test_without_the_reference_files_it_says_where_to_look(tmp_path, capsys):
    assert main(["--refs", str(tmp_path)]) == 2
    assert "no WMT21 files" in capsys.readouterr().err
