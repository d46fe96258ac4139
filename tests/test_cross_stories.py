"""Stories across languages and runs: one event reported in French and English is one story, and a copy that
arrives in a later run joins the story already published, without a model call."""

from __future__ import annotations

import json

import pytest
from scripted_engines import TableEngine

from digest import Digester
from digest.config import load_config
from digest.nlp.evidence import overlap, story_terms
from digest.run.links import shared_language

EN = ("Flooding forced 2,300 people from their homes in the Rhone valley on Sunday after three days of heavy rain. "
      "Firefighters rescued families from rooftops near Valence, and the regional prefect ordered schools closed. "
      "Forecasters at Meteo France expect the river to peak on Monday evening.")
EN_TITLE = "Floods drive 2,300 from their homes in the Rhone valley"
FR_SENTENCES = [
    ("Les inondations ont chassé 2 300 personnes de leurs maisons dans la vallée du Rhône dimanche, après trois "
     "jours de pluies diluviennes.",
     "Floods chased 2,300 people out of their houses in the Rhone valley on Sunday, after three days of torrential "
     "rain."),
    ("Les pompiers ont secouru des familles réfugiées sur les toits près de Valence, et le préfet a fermé les "
     "écoles.",
     "Firefighters rescued families sheltering on rooftops near Valence, and the prefect closed the schools."),
    ("Météo France prévoit un pic de la crue lundi soir.", "Meteo France expects the flood to peak on Monday evening."),
]
FR = " ".join(fr for fr, _ in FR_SENTENCES)
FR_TITLE = "Inondations : 2 300 personnes évacuées dans la vallée du Rhône"
TABLE = {fr: en for fr, en in FR_SENTENCES} | {FR_TITLE: "Floods: 2,300 people evacuated in the Rhone valley"}
OTHER = ("The city council of Leeds approved a budget for public libraries on Thursday, adding two branches and "
         "longer opening hours. The mayor said savings in road maintenance would pay for the plan.")
OTHER_FR = ("Le conseil municipal de Lyon a voté jeudi un nouveau tarif pour les cantines scolaires. Les parents "
            "paieront 40 centimes de moins par repas à partir de janvier.")
TABLE[OTHER_FR.split(". ")[0] + "."] = "The Lyon city council voted on Thursday a new price for school canteens."
TABLE[OTHER_FR.split(". ")[1]] = "Parents will pay 40 cents less per meal from January."
# the same English story as another outlet ran it (a wire copy): one word changed, a line of its own added
WIRE = EN.replace("heavy rain", "torrential rain") + " Our correspondent contributed to this report."


def _row(id_: str, language: str, text: str, site: str, title: str = "", day: str = "2026-11-29") -> dict:
    return {"id": id_, "language": language, "title": title, "text": text, "site": site,
            "url": f"https://{site.lower().replace(' ', '')}.example/{id_}", "date": day}


def _digester() -> tuple[Digester, TableEngine, list[str]]:
    engine = TableEngine("table", TABLE)
    config = load_config(None, **{"summarizer.model": "extractive", "targets": ["en"],
                                  "translation.models": {"fr-en": "table"}})
    digester = Digester(config, progress=False, engines={"table": engine})
    summarizer, calls = digester.summarizer, []
    original = summarizer.summarize

    def spy(texts, languages=None):
        calls.extend(texts)
        return original(texts, languages)

    summarizer.summarize = spy
    return digester, engine, calls


def _write(folder, rows: list[dict]):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "feed.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return folder


def _record(out, article_id: str) -> dict:
    return json.loads((out / "articles" / f"{article_id}.json").read_text(encoding="utf-8"))


def test_evidence_weighs_rare_words_and_numbers_not_function_words():
    french = story_terms(TABLE[FR_TITLE] + " " + " ".join(en for _, en in FR_SENTENCES), "en", FR, "fr")
    english = story_terms(EN_TITLE + " " + EN, "en")
    unrelated = story_terms(OTHER, "en")
    assert "#2300" in french and "#2300" in english and "the" not in english  # 2 300 and 2,300 are one number
    assert english["valence"] > english.get("homes", 0)
    assert overlap(french, english) > 0.4 > 0.1 > overlap(english, unrelated)
    assert overlap({}, english) == 0.0
    gibberish = "en en enos en en se en enban en enum en en"  # what an untrained model writes
    assert story_terms(gibberish, "en") == {} and story_terms(EN, "en")
    assert shared_language(["de", "en"]) == "en" and shared_language(["de", "fr"]) == "de"
    assert shared_language([]) is None


@pytest.fixture(scope="module")
def cross_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("cross")
    inputs = _write(root / "in", [_row("lemonde-crue", "fr", FR, "Le Monde", FR_TITLE),
                                  _row("bbc-floods", "en", EN, "BBC", EN_TITLE),
                                  _row("leeds-libraries", "en", OTHER, "BBC"),
                                  _row("lyon-cantines", "fr", OTHER_FR, "Le Progres")])
    digester, _, _ = _digester()
    return digester.run([inputs], root / "out")


def test_one_event_in_two_languages_is_one_story(cross_run):
    out = cross_run.out_dir
    assert cross_run.exit_code == 0
    french, english = _record(out, "lemonde-crue"), _record(out, "bbc-floods")
    assert french["cluster"] == english["cluster"] and french["cluster"]["id"] == "bbc-floods"
    assert {(s["id"], s["language"]) for s in english["cluster"]["sources"]} == {("bbc-floods", "en"),
                                                                               ("lemonde-crue", "fr")}
    assert "cluster" not in _record(out, "leeds-libraries") and "cluster" not in _record(out, "lyon-cantines")


def test_the_page_lists_every_outlet_and_language_and_ranks_the_story_first(cross_run):
    page = (cross_run.out_dir / "digest.en.html").read_text(encoding="utf-8")
    assert page.count("<article ") == 3  # the floods once, the libraries, the canteens
    assert "Le Monde (French)" in page
    assert page.index("Rhone") < page.index("Leeds")  # two outlets: the top story
    md = (cross_run.out_dir / "digest.fr.md").read_text(encoding="utf-8")
    assert "BBC (anglais)" in md


def test_a_copy_in_a_later_run_joins_its_story_without_model_calls(tmp_path):
    digester, engine, calls = _digester()
    first = digester.run([_write(tmp_path / "in1", [_row("bbc-floods", "en", EN, "BBC", EN_TITLE),
                                                    _row("lemonde-crue", "fr", FR, "Le Monde", FR_TITLE)])],
                         tmp_path / "out")
    assert first.exit_code == 0 and len(calls) == 2 and engine.seen
    before_summaries, before_translations = len(calls), len(engine.seen)
    later = digester.run([_write(tmp_path / "in2", [_row("ap-floods", "en", WIRE, "AP", EN_TITLE,
                                                         day="2026-11-30")])], tmp_path / "out")
    assert later.exit_code == 0
    assert len(calls) == before_summaries and len(engine.seen) == before_translations  # no model call at all
    copy, lead = _record(tmp_path / "out", "ap-floods"), _record(tmp_path / "out", "bbc-floods")
    assert copy["summaries"] == lead["summaries"] and copy["text"] == WIRE
    assert copy["cluster"]["id"] == lead["cluster"]["id"] == "bbc-floods"
    assert {s["id"] for s in lead["cluster"]["sources"]} == {"bbc-floods", "lemonde-crue", "ap-floods"}
    assert {s["id"] for s in _record(tmp_path / "out", "lemonde-crue")["cluster"]["sources"]} == \
        {"bbc-floods", "lemonde-crue", "ap-floods"}
    earlier = (tmp_path / "out" / "editions" / "2026-11-29" / "digest.en.html").read_text(encoding="utf-8")
    assert "https://ap.example/ap-floods" in earlier  # the earlier story's page gains the new outlet
    front = (tmp_path / "out" / "digest.en.html").read_text(encoding="utf-8")
    assert front.count("<article ") == 1


def test_a_story_in_another_language_in_a_later_run_joins_the_stored_one(tmp_path):
    digester, _, _ = _digester()
    digester.run([_write(tmp_path / "in1", [_row("bbc-floods", "en", EN, "BBC", EN_TITLE),
                                            _row("leeds-libraries", "en", OTHER, "BBC")])], tmp_path / "out")
    later = digester.run([_write(tmp_path / "in2", [_row("lemonde-crue", "fr", FR, "Le Monde", FR_TITLE)])],
                         tmp_path / "out")
    assert later.exit_code == 0
    assert _record(tmp_path / "out", "lemonde-crue")["cluster"]["id"] == "bbc-floods"
    assert {s["id"] for s in _record(tmp_path / "out", "bbc-floods")["cluster"]["sources"]} == \
        {"bbc-floods", "lemonde-crue"}
    assert "cluster" not in _record(tmp_path / "out", "leeds-libraries")
    assert (tmp_path / "out" / "stories").is_dir()


def test_clustering_off_links_nothing(tmp_path):
    engine = TableEngine("table", TABLE)
    config = load_config(None, **{"summarizer.model": "extractive", "targets": ["en"], "cluster.enabled": False,
                                  "translation.models": {"fr-en": "table"}})
    result = Digester(config, progress=False, engines={"table": engine}).run(
        [_write(tmp_path / "in", [_row("lemonde-crue", "fr", FR, "Le Monde", FR_TITLE),
                                  _row("bbc-floods", "en", EN, "BBC", EN_TITLE)])], tmp_path / "out")
    assert result.exit_code == 0 and "cluster" not in _record(tmp_path / "out", "bbc-floods")
    assert not (tmp_path / "out" / "stories").exists()


def test_an_output_folder_from_before_the_story_index_is_indexed_once(tmp_path):
    import shutil

    digester, _, calls = _digester()
    digester.run([_write(tmp_path / "in1", [_row("bbc-floods", "en", EN, "BBC", EN_TITLE)])], tmp_path / "out")
    shutil.rmtree(tmp_path / "out" / "stories")  # as an OUT made by an earlier version
    before = len(calls)
    digester.run([_write(tmp_path / "in2", [_row("ap-floods", "en", WIRE, "AP", EN_TITLE)])], tmp_path / "out")
    assert len(calls) == before and _record(tmp_path / "out", "ap-floods")["cluster"]["id"] == "bbc-floods"


def test_publish_links_records_made_by_digest(tmp_path):
    from digest.inputs.article import Article

    digester, _, _ = _digester()
    articles = [Article(id="lemonde-crue", title=FR_TITLE, text=FR, source="api", language="fr", site="Le Monde"),
                Article(id="bbc-floods", title=EN_TITLE, text=EN, source="api", language="en", site="BBC")]
    records = list(digester.digest(articles))
    assert all("cluster" not in r.to_json() for r in records)  # digest() writes and links nothing by itself
    digester.publish(records, tmp_path / "out")
    assert _record(tmp_path / "out", "lemonde-crue")["cluster"]["id"] == "bbc-floods"


def test_the_stored_story_keeps_its_id(tmp_path):
    digester, _, _ = _digester()
    digester.run([_write(tmp_path / "in1", [_row("zdf-floods", "en", EN, "ZDF", EN_TITLE)])], tmp_path / "out")
    digester.run([_write(tmp_path / "in2", [_row("afp-crue", "fr", FR, "AFP", FR_TITLE),
                                            _row("afp-wire", "en", WIRE, "AFP English", EN_TITLE)])], tmp_path / "out")
    ids = {i: _record(tmp_path / "out", i)["cluster"]["id"] for i in ("zdf-floods", "afp-crue", "afp-wire")}
    assert set(ids.values()) == {"zdf-floods"}  # not "afp-crue", the smallest id: the page links stay
    sources = _record(tmp_path / "out", "zdf-floods")["cluster"]["sources"]
    assert [s["id"] for s in sources][0] == "zdf-floods" and len(sources) == 3


def test_a_stored_record_whose_story_changed_goes_to_every_sink(tmp_path):
    """The later French copy rewrites the stored English record's story: a sink of one's own gets it saved too, not
    only OUT/articles."""
    digester, _, _ = _digester()
    digester.run([_write(tmp_path / "in1", [_row("bbc-floods", "en", EN, "BBC", EN_TITLE)])], tmp_path / "out")
    saved: list[tuple[str, str | None]] = []

    class Spy:
        def save(self, record):
            saved.append((record.id, (record.cluster or {}).get("id")))

        def finish(self, changed, failures):
            pass

    sinks = digester.sinks
    digester.sinks = lambda store: [*sinks(store), Spy()]
    digester.run([_write(tmp_path / "in2", [_row("lemonde-crue", "fr", FR, "Le Monde", FR_TITLE)])], tmp_path / "out")
    assert ("bbc-floods", "bbc-floods") in saved
    assert _record(tmp_path / "out", "bbc-floods")["cluster"]["id"] == "bbc-floods"
