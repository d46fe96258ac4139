"""`digest eval`: reference formats, and scores checked against values worked out by hand."""

from __future__ import annotations

import json
import sys

import pytest
from click.testing import CliRunner

from digest.cli import cli
from digest.output.evaluate import EvalExtraMissing, evaluate, format_table, load_references

REFS = {
    "a1": {"summary": "The cat sat on the mat.", "de": "Die Katze saß auf der Matte.", "fr": "Abc def",
           "es": "El gato se sentó en la alfombra roja."},
    "a2": {"summary": "Milley could not reach Gerasimov.", "de": "Milley erreichte Gerasimow nicht."},
    "a3": {"de": "Zwei Menschen starben."},
    "gone": {"summary": "No output was written for this one."},
}


def write_article(out, ident, text, summaries, checks=None, language="en"):
    record = {"id": ident, "title": ident, "source": f"{ident}.txt", "language": language, "text": text,
              "summaries": summaries, "chunks": 1, "models": {}, "created": "2024-01-01T00:00:00Z"}
    if checks is not None:
        record["checks"] = checks
    (out / "articles").mkdir(parents=True, exist_ok=True)
    (out / "articles" / f"{ident}.json").write_text(json.dumps(record), encoding="utf-8")


@pytest.fixture
def out_dir(tmp_path):
    out = tmp_path / "out"
    # a1: stored checks flag a number -> not faithful
    write_article(out, "a1", "The cat sat on the mat.", {
        "en": "The cat lay on a mat.", "de": "Die Katze saß auf der Matte.", "fr": "Zzz qqq",
        "es": "El gato se sentó."}, checks={"summary": {"unsupported_numbers": ["3"], "unsupported_names": []}})
    # a2: no checks field; the summary is backed by the text -> faithful
    write_article(out, "a2", "Milley said he could not reach Gerasimov by phone.", {
        "en": "Milley could not reach Gerasimov.", "de": "Milley erreichte Gerasimow nicht."})
    # a3: no checks field; "Valery Petrov" is not in the text -> not faithful
    write_article(out, "a3", "Two people died in the attack.", {
        "en": "Two people died, said Valery Petrov.", "de": "Zwei Menschen starben."})
    write_article(out, "unreferenced", "Text.", {"en": "Text."})
    return out


def test_scores_against_hand_computed_values(out_dir):
    result = evaluate(out_dir, REFS)
    assert result["articles"] == 3
    assert result["missing"] == ["gone"]
    # a1 by hand (no word longer than 3 letters, so stemming changes nothing):
    #   ref  the cat sat on the mat   hyp  the cat lay on a mat
    #   unigram overlap the, cat, on, mat = 4 of 6 and 6 -> F1 2/3; bigrams: only "the cat" -> 1/5;
    #   longest common subsequence the cat on mat = 4 -> 2/3.   a2 is identical -> 1.
    assert result["rouge"]["rouge1"] == pytest.approx((2 / 3 + 1) / 2)
    assert result["rouge"]["rouge2"] == pytest.approx((1 / 5 + 1) / 2)
    assert result["rouge"]["rougeL"] == pytest.approx((2 / 3 + 1) / 2)
    de, fr, es = (result["translation"][lang] for lang in ("de", "fr", "es"))
    assert de == {"chrf": pytest.approx(100.0), "bleu": pytest.approx(100.0), "n": 3, "missing": 0}
    assert fr["chrf"] == pytest.approx(0.0) and fr["bleu"] == pytest.approx(0.0) and fr["n"] == 1
    assert 0 < es["chrf"] < 100 and 0 < es["bleu"] < 100 and es["n"] == 1
    assert result["faithfulness_rate"] == pytest.approx(1 / 3)


def test_language_the_run_did_not_make_is_missing_not_scored(tmp_path):
    de, fr = "Die Katze saß auf der Matte.", "Le chat était assis sur le tapis."
    write_article(tmp_path, "x", "Text here.", {"en": "Text here.", "de": de})
    write_article(tmp_path, "y", "More text.", {"en": "More text.", "de": de, "fr": fr})
    result = evaluate(tmp_path, {"x": {"summary": "Text here.", "de": de, "es": "El gato se sentó en la alfombra."},
                                 "y": {"de": de, "fr": fr}})
    assert result["rouge"]["rouge1"] == pytest.approx(1.0)
    assert result["translation"]["de"] == {"chrf": pytest.approx(100.0), "bleu": pytest.approx(100.0), "n": 2,
                                           "missing": 0}
    assert result["translation"]["fr"] == {"chrf": pytest.approx(100.0), "bleu": pytest.approx(100.0), "n": 1,
                                           "missing": 0}
    assert result["translation"]["es"] == {"chrf": None, "bleu": None, "n": 0, "missing": 1}
    table = format_table(result)
    assert any(line.split() == ["es", "0", "-", "-", "1"] for line in table.splitlines()), table
    json.dumps(result)  # eval.json must still be writable


def test_missing_language_is_counted_beside_scored_ones(tmp_path):
    write_article(tmp_path, "x", "Text here.", {"en": "Text here.", "de": "Text hier."})
    write_article(tmp_path, "y", "More text.", {"en": "More text."})  # its de translation failed
    result = evaluate(tmp_path, {"x": {"de": "Text hier."}, "y": {"de": "Mehr Text."}})
    assert result["translation"]["de"]["chrf"] == pytest.approx(100.0)
    assert result["translation"]["de"]["n"] == 1 and result["translation"]["de"]["missing"] == 1


def test_empty_translation_is_still_scored(tmp_path):
    write_article(tmp_path, "x", "Text here.", {"en": "Text here.", "de": ""})  # produced, but empty: a real 0
    result = evaluate(tmp_path, {"x": {"de": "Text hier."}})
    assert result["translation"]["de"]["chrf"] == pytest.approx(0.0) and result["translation"]["de"]["missing"] == 0


def test_non_english_rouge_keeps_accented_words(tmp_path):
    write_article(tmp_path, "x", "Über die Grenze.", {"de": "Über die Grenze."}, language="de")
    result = evaluate(tmp_path, {"x": {"summary": "Über die Brücke."}})
    assert result["rouge"]["rouge1"] == pytest.approx(2 / 3)  # über, die of 3 and 3


def test_no_articles_in_out_is_an_error_naming_the_references(tmp_path):
    refs = tmp_path / "refs.json"
    refs.write_text(json.dumps({"x": {"summary": "S."}}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"refs\.json: no reference id matches an article in .*no articles"):
        evaluate(tmp_path, load_references(refs), source=refs)


def test_no_matching_id_is_an_error_naming_the_references(out_dir, tmp_path):
    refs = tmp_path / "refs.jsonl"
    refs.write_text(json.dumps({"id": "other", "summary": "S."}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"refs\.jsonl: no reference id matches an article in") as info:
        evaluate(out_dir, load_references(refs), source=refs)
    assert "references: other" in str(info.value) and "articles: a1, a2, a3, ..." in str(info.value)


def test_cli_no_matching_id_exits_2_and_writes_nothing(out_dir, tmp_path):
    pytest.importorskip("rouge_score")
    refs = tmp_path / "refs.json"
    refs.write_text(json.dumps([{"id": "nope", "summary": "S."}]), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(out_dir), str(refs)])
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1 and "refs.json" in result.output
    assert "no reference id matches an article" in result.output
    assert not (out_dir / "eval.json").exists()


def test_cli_partial_match_reports_unmatched_references(out_dir, tmp_path):
    pytest.importorskip("rouge_score")
    refs = tmp_path / "refs.json"
    refs.write_text(json.dumps(REFS), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(out_dir), str(refs)])
    assert result.exit_code == 0, result.output
    assert "articles evaluated  3" in result.output
    assert "no output for 1 referenced article(s): gone" in result.output
    assert json.loads((out_dir / "eval.json").read_text(encoding="utf-8"))["missing"] == ["gone"]


def test_format_table(out_dir):
    table = format_table(evaluate(out_dir, REFS))
    assert "articles evaluated  3" in table
    assert "ROUGE-1  83.3" in table and "faithful summaries   33.3%" in table
    assert any(line.split()[:2] == ["de", "3"] and "100.0" in line for line in table.splitlines())
    assert "no output for 1 referenced article(s): gone" in table


EXPECTED = {"a1": {"summary": "S1", "de": "D1", "fr": "F1"}, "a2": {"summary": "S2"}, "a3": {"de": "D3"}}
ROWS = [
    {"id": "a1", "summary": "S1", "translations": {"de": "D1", "fr": "F1"}},
    {"id": "a2", "summary": "S2", "title": "ignored"},
    {"id": "a3", "de": "D3"},
]


def test_load_references_every_format(tmp_path):
    keyed = tmp_path / "keyed.json"
    keyed.write_text(json.dumps({"a1": {"summary": "S1", "de": "D1", "fr": "F1"}, "a2": "S2",
                                 "a3": {"translations": {"de": "D3"}}}))
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps(ROWS))
    lines = tmp_path / "refs.jsonl"
    lines.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n\n")
    folder = tmp_path / "refs"
    folder.mkdir()
    for row in ROWS:
        body = {k: v for k, v in row.items() if k != "id"} if row["id"] == "a2" else row
        (folder / f"{row['id']}.json").write_text(json.dumps(body))  # a2 takes its id from the file name
    for path in (keyed, listed, lines, folder):
        assert load_references(path) == EXPECTED, path


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("bad.json", "{not json", "not valid JSON"),
        ("bad.jsonl", '{"id": "a", "summary": "S"}\n{oops', "bad.jsonl:2: not valid JSON"),
        ("noid.json", '[{"summary": "S"}]', 'entry 1 is not an object with an "id"'),
        ("nosummary.json", '[{"id": "a", "title": "T"}]', 'has neither "summary" nor translations'),
        ("number.json", '[{"id": "a", "summary": 3}]', '"summary" must be a string'),
        ("twice.json", '[{"id": "a", "summary": "S"}, {"id": "a", "summary": "T"}]', "appears twice"),
        ("empty.json", "[]", "no references"),
        ("scalar.json", "3", "expected a JSON object or list"),
    ],
)
def test_load_references_errors_name_file_and_problem(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ValueError, match=name) as info:
        load_references(path)
    assert problem in str(info.value)


def test_load_references_in_latin1(tmp_path):
    """A legacy-encoded file is read like the article readers read one, not failed with a bare codec error."""
    path = tmp_path / "refs.json"
    path.write_bytes(json.dumps({"a1": {"summary": "Le café est fermé.", "de": "Das Café ist geschlossen."}},
                                ensure_ascii=False).encode("latin-1"))
    assert load_references(path) == {"a1": {"summary": "Le café est fermé.", "de": "Das Café ist geschlossen."}}
    folder = tmp_path / "refs"
    folder.mkdir()
    (folder / "a1.json").write_bytes('{"summary": "Le café est fermé."}'.encode("latin-1"))
    assert load_references(folder) == {"a1": {"summary": "Le café est fermé."}}


def test_binary_references_name_the_file(tmp_path):
    path = tmp_path / "refs.json"
    path.write_bytes(b"\x00\x01\x02\xff" * 10)
    with pytest.raises(ValueError, match=r"refs\.json: not a text file"):
        load_references(path)


def test_cli_latin1_references_are_not_a_bare_codec_error(out_dir, tmp_path):
    pytest.importorskip("rouge_score")
    refs = tmp_path / "refs.json"
    entry = {"summary": "Milley could not reach Gerasimov.", "de": "Milley erreichte Gerasimow nicht, café."}
    refs.write_bytes(json.dumps({"a2": entry}, ensure_ascii=False).encode("latin-1"))
    result = CliRunner().invoke(cli, ["eval", str(out_dir), str(refs)])
    assert result.exit_code == 0, result.output
    assert "codec" not in result.output and "articles evaluated  1" in result.output


def test_load_references_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(ValueError, match="no such reference file"):
        load_references(tmp_path / "nope.json")
    with pytest.raises(ValueError, match="no <id>.json reference files"):
        load_references(tmp_path)


def test_missing_extra_says_how_to_install(out_dir, monkeypatch):
    monkeypatch.setitem(sys.modules, "sacrebleu", None)
    with pytest.raises(ImportError, match=r'pip install "digest\[eval\]"') as info:
        evaluate(out_dir, REFS)
    assert isinstance(info.value, EvalExtraMissing)


def test_rouge_lsum_scores_sentence_by_sentence(tmp_path):
    """Lsum takes the LCS per reference sentence (newline-separated), so swapping two sentences costs nothing;
    plain ROUGE-L sees one sequence.  ref: the cat sat | the dog ran   hyp: the dog ran | the cat sat
    RL: longest common subsequence 3 of 6 and 6 -> 0.5.   Lsum: each reference sentence matched whole -> 1.0."""
    write_article(tmp_path, "x", "Text.", {"en": "The dog ran. The cat sat."})
    result = evaluate(tmp_path, {"x": {"summary": "The cat sat. The dog ran."}})
    assert result["rouge"]["rougeL"] == pytest.approx(0.5)
    assert result["rouge"]["rougeLsum"] == pytest.approx(1.0)
    assert result["rouge"]["words"] == 6
    assert "ROUGE-Lsum 100.0" in format_table(result)


def test_tokenizer_is_named_per_language(tmp_path):
    write_article(tmp_path, "en1", "Text.", {"en": "The cat sat."})
    write_article(tmp_path, "fr1", "Texte.", {"fr": "La société ferme."}, language="fr")
    result = evaluate(tmp_path, {"en1": {"summary": "The cat sat."}, "fr1": {"summary": "La société a fermé."}})
    assert result["tokenizer"] == {"en": "rouge-score default ([a-z0-9]+, Porter stemmer)",
                                   "fr": "Unicode words, lower-cased, no stemmer"}
    table = format_table(result)
    assert "tokenizer fr" in table and "Unicode words" in table


LEAD_TEXT = ("Milley tried to call Gerasimov after the strike. Nobody answered the phone in Moscow. "
             "Austin spoke to reporters on Wednesday. The briefing ended at noon.")


def test_lead_k_baseline_scores_the_first_sentences_on_the_same_articles(tmp_path):
    write_article(tmp_path, "x", LEAD_TEXT, {"en": "The briefing ended at noon."})
    write_article(tmp_path, "unreferenced", "Other text. More.", {"en": "Other text."})
    refs = {"x": {"summary": "Milley tried to call Gerasimov after the strike. Nobody answered the phone in Moscow."}}
    result = evaluate(tmp_path, refs, baseline="lead-2")
    assert result["baseline"]["name"] == "lead-2"
    assert result["baseline"]["rouge"]["rouge1"] == pytest.approx(1.0)  # lead-2 is the reference here
    assert result["baseline"]["rouge"]["words"] == 8 + 6
    assert result["rouge"]["rouge1"] < 0.2
    table = format_table(result)
    assert any(line.startswith("baseline lead-2") and "ROUGE-1 100.0" in line for line in table.splitlines())
    assert "baseline" not in evaluate(tmp_path, refs)


@pytest.mark.parametrize("bad", ["lead", "lead-0", "first-3", "lead-x"])
def test_bad_baseline_is_a_value_error_naming_it(out_dir, bad):
    with pytest.raises(ValueError, match=r"--baseline .*expected lead-K"):
        evaluate(out_dir, REFS, baseline=bad)


def test_cli_baseline_prints_both_rows(tmp_path):
    pytest.importorskip("rouge_score")
    write_article(tmp_path, "x", LEAD_TEXT, {"en": "Milley tried to call Gerasimov after the strike."})
    refs = tmp_path / "refs.jsonl"
    refs.write_text(json.dumps({"id": "x", "summary": "Nobody answered the phone in Moscow."}) + "\n")
    result = CliRunner().invoke(cli, ["eval", str(tmp_path), str(refs), "--baseline", "lead-3"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if "ROUGE-Lsum" in line]
    assert [r.split()[0] for r in rows] == ["summary", "baseline"] and "lead-3" in rows[1]
    bad = CliRunner().invoke(cli, ["eval", str(tmp_path), str(refs), "--baseline", "best"])
    assert bad.exit_code == 2 and bad.output.count("\n") == 1 and "--baseline 'best'" in bad.output
