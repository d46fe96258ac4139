"""benchmarks/stories.py --cross-language on a small synthetic file of its own (no WMT data in the project), so the
scripted reference translator and the tally cannot rot unseen."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from stories import ReferenceEngine, cross_language, main, reference_table  # noqa: E402

DOCS = [
    ("de-hafen", "de", "Sturm legt Hamburger Hafen lahm",
     ["Ein Orkan hat am Montag den Hamburger Hafen für zwölf Stunden lahmgelegt.",
      "Mehr als 140 Schiffe warteten vor der Elbmündung, teilte die Hafenbehörde mit.",
      "Der Deutsche Wetterdienst erwartet für Dienstag ruhigeres Wetter."],
     "Storm shuts down Hamburg port",
     ["A hurricane shut down the port of Hamburg for twelve hours on Monday.",
      "More than 140 ships waited off the mouth of the Elbe, the port authority said.",
      "The German Weather Service expects calmer weather on Tuesday."]),
    ("fr-vignoble", "fr", "La grêle ravage le vignoble de Chablis",
     ["Un orage de grêle a détruit samedi près de 1 200 hectares de vignes autour de Chablis.",
      "Les viticulteurs de l'Yonne estiment avoir perdu la moitié de la récolte.",
      "La préfecture a demandé la reconnaissance de l'état de calamité agricole."],
     "Hail devastates Chablis vineyards",
     ["A hailstorm destroyed nearly 1,200 hectares of vines around Chablis on Saturday.",
      "Winegrowers in the Yonne estimate they have lost half of the harvest.",
      "The prefecture has asked for the state of agricultural disaster to be declared."]),
    ("de-bahn", "de", "Bahn bestellt 60 neue ICE-Züge",
     ["Die Deutsche Bahn hat bei Siemens 60 neue Hochgeschwindigkeitszüge bestellt.",
      "Der Auftrag hat einen Wert von rund 2,4 Milliarden Euro, sagte Konzernchef Richard Lutz.",
      "Die ersten Züge sollen ab 2029 zwischen Berlin und München fahren."],
     "Deutsche Bahn orders 60 new ICE trains",
     ["Deutsche Bahn has ordered 60 new high-speed trains from Siemens.",
      "The order is worth around 2.4 billion euros, chief executive Richard Lutz said.",
      "The first trains are to run between Berlin and Munich from 2029."]),
]


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "world.jsonl"
    rows = [{"id": id_, "language": lang, "title": title, "text": "\n".join(text), "source": "synthetic",
             "reference": {"language": "en", "title": ref_title, "text": "\n".join(ref)}}
            for id_, lang, title, text, ref_title, ref in DOCS]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_the_reference_engine_translates_sentences_segments_and_spans(tmp_path):
    rows = [json.loads(line) for line in _file(tmp_path).read_text(encoding="utf-8").splitlines()]
    engine = ReferenceEngine(*reference_table(rows))
    assert engine.reference("Der Deutsche Wetterdienst erwartet für Dienstag ruhigeres Wetter.") == \
        "The German Weather Service expects calmer weather on Tuesday."
    two = DOCS[0][3][0] + " " + DOCS[0][3][1]  # a summary sentence the splitter made of two segments
    assert engine.reference(two) == DOCS[0][5][0] + " " + DOCS[0][5][1]
    assert engine.reference("Nichts davon steht im Text.") == "Nichts davon steht im Text." and engine.missed == 1
    assert ReferenceEngine({}, [], drop=1.0).loosen("one two three") == "one"


def test_every_pair_is_grouped_and_nothing_else(tmp_path):
    report = cross_language(_file(tmp_path), "all", None)
    assert (report["grouped"], report["pairs"], report["wrong_merges"], report["failed"]) == (3, 3, 0, 0)
    strict = cross_language(_file(tmp_path), "all", 1.0)  # nothing reaches a perfect overlap: nothing is grouped
    assert strict["grouped"] == 0


def test_halves_and_the_printed_line(tmp_path, capsys):
    assert cross_language(_file(tmp_path), "even", None)["pairs"] == 1
    assert main(["--cross-language", str(_file(tmp_path)), "--lines", "odd"]) == 0
    assert capsys.readouterr().out.startswith("pairs grouped 2/2, wrong merges 0/2\n")
