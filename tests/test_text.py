"""Sentence splitting, token-budget chunking and byte decoding (no models: counts are word counts)."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from digest.nlp.text import decode_bytes, pack_chunks, split_sentences

MILLEY = (Path(__file__).parent / "data" / "corpus" / "milley-briefing.txt").read_text(encoding="utf-8")


def _words(count_me: list[str]) -> list[int]:
    return [len(s.split()) for s in count_me]


def _squash(text: str) -> str:
    return "".join(text.split())


def test_abbreviations_do_not_end_sentences() -> None:
    text = ("A top U.S. military officer alleges that he tried to reach his counterpart. "
            "Gen. Milley said so on Monday. Army General Mark Milley, chairman of the Joint Chiefs, agreed.")
    assert split_sentences(text, "en") == [
        "A top U.S. military officer alleges that he tried to reach his counterpart.",
        "Gen. Milley said so on Monday.",
        "Army General Mark Milley, chairman of the Joint Chiefs, agreed.",
    ]


def test_a_closing_quote_cut_off_by_the_splitter_stays_with_its_sentence() -> None:
    text = 'Cruz said Pelosi, who appeared ahead of the senator, " is "focused on neither of those."'
    assert split_sentences(text, "en") == [text]


def test_german_rules_and_unknown_languages_fall_back_to_english() -> None:
    assert split_sentences("Er kam z.B. am 3. Januar. Dann ging er.", "de") == [
        "Er kam z.B. am 3. Januar.", "Dann ging er."]
    assert split_sentences("Hon sa nej. Sedan gick hon.", "sv") == ["Hon sa nej.", "Sedan gick hon."]
    assert split_sentences("One. Two.", "de-AT") == ["One.", "Two."]
    assert split_sentences("One. Two.", None) == ["One.", "Two."]


def test_paragraph_breaks_are_boundaries_and_no_item_is_empty() -> None:
    text = "\n\n  Heading without a full stop\n \n\nFirst sentence. Second one\n\n\n   \n"
    assert split_sentences(text) == ["Heading without a full stop", "First sentence.", "Second one"]
    assert split_sentences("") == [] and split_sentences(" \n\n \t") == []


@pytest.mark.parametrize("language", ["en", "de", "fr", None])
def test_no_character_is_lost(language: str | None) -> None:
    tricky = MILLEY + "\n\n“Quoted.” (Parenthetical!) Ellipsis... e.g. 3.5 km — U.S.-Russian ties?! ok"
    sentences = split_sentences(tricky, language)
    assert all(s and s == s.strip() for s in sentences)
    assert _squash("".join(sentences)) == _squash(tricky)
    assert all(s in tricky for s in sentences)  # cut from the original, never rewritten


def test_pack_chunks_respects_the_limit_and_keeps_every_word_in_order() -> None:
    sentences = split_sentences(MILLEY)
    counts = _words(sentences)
    for limit in (60, 100, 400, 10_000):
        chunks = pack_chunks(sentences, counts, limit)
        assert all(len(c.split()) <= limit for c in chunks)
        assert " ".join(chunks).split() == " ".join(sentences).split()
    assert len(pack_chunks(sentences, counts, 10_000)) == 1


def test_pack_chunks_is_greedy_at_sentence_boundaries() -> None:
    sentences = ["a b c", "d e", "f g h i", "j"]
    assert pack_chunks(sentences, [3, 2, 4, 1], 5) == ["a b c d e", "f g h i j"]
    assert pack_chunks(sentences, [3, 2, 4, 1], 4) == ["a b c", "d e", "f g h i", "j"]
    assert pack_chunks([], [], 10) == []
    assert pack_chunks(["  ", "x"], [0, 1], 10) == ["x"]


def test_oversize_sentence_is_split_at_words_never_truncated() -> None:
    long = " ".join(f"w{i}" for i in range(250))
    sentences = ["Short one.", long, "Tail sentence here."]
    counts = _words(sentences)
    for count in (None, _words):
        chunks = pack_chunks(sentences, counts, 40, count=count)
        assert " ".join(chunks).split() == " ".join(sentences).split()
        sizes = [len(c.split()) for c in chunks]
        if count is None:  # estimated in proportion to length: close to the limit, not exact
            assert max(sizes) <= 40 * 1.25 and len(chunks) >= 6
        else:  # measured: exact, and the pieces stay even (no 40/8/40/5 fragments)
            assert max(sizes) <= 40 and min(sizes[1:-1]) >= 30


def test_oversize_split_uses_the_count_callback_when_the_estimate_is_wrong() -> None:
    # tokens are characters here: long words cost far more than their share of the word count
    words = ["a"] * 50 + ["x" * 30] * 10
    sentence = " ".join(words)

    def count(texts: list[str]) -> list[int]:
        return [len(t.replace(" ", "")) for t in texts]

    chunks = pack_chunks([sentence], count([sentence]), 40, count=count)
    assert all(n <= 40 for n in count(chunks))
    assert " ".join(chunks).split() == words


def test_a_single_word_longer_than_the_budget_is_cut_but_kept() -> None:
    blob = "QUJD" * 500  # a base64 blob from a broken scraper
    chunks = pack_chunks(["Before.", blob, "After."], [2, 1000, 2], 100)
    assert _squash("".join(chunks)) == _squash("Before." + blob + "After.")
    assert len(chunks) > 5


def test_pack_chunks_rejects_mismatched_counts_and_bad_limits() -> None:
    with pytest.raises(ValueError, match="2 sentences but 1 token counts"):
        pack_chunks(["a", "b"], [1], 10)
    with pytest.raises(ValueError, match="at least 1 token"):
        pack_chunks(["a"], [1], 0)


def test_pack_chunks_random_invariants_and_linear_time() -> None:
    rng = random.Random(7)
    for _ in range(200):
        sentences = [" ".join("w" * rng.randint(1, 8) for _ in range(rng.randint(1, 30))) for _ in range(20)]
        limit = rng.randint(3, 60)
        count = rng.choice([None, _words])
        chunks = pack_chunks(sentences, _words(sentences), limit, count=count)
        assert all(len(c.split()) <= (limit if count else max(limit * 1.5, limit + 2)) for c in chunks)
        assert " ".join(chunks).split() == " ".join(sentences).split()
    many = ["one two three four five."] * 200_000
    started = time.perf_counter()
    chunks = pack_chunks(many, [5] * len(many), 512)
    assert time.perf_counter() - started < 2.0
    assert len(chunks) == 200_000 * 5 // 510 + 1


def test_decode_bytes() -> None:
    assert decode_bytes("café – naïve".encode("cp1252")) == ("café – naïve", "cp1252")
    assert decode_bytes("Ünïcode ✓".encode("utf-16")) == ("Ünïcode ✓", "utf-16")
    assert decode_bytes("\ufeffBOM".encode()) == ("BOM", "utf-8-sig")
    assert decode_bytes("Привет, как дела? Это тест.".encode("cp1251"))[0] == "Привет, как дела? Это тест."
    assert decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00") is None
    assert decode_bytes(bytes(range(1, 32)) * 50) is None
    text, encoding = decode_bytes("naïve café. ".encode() * 50 + b"\xe2\x80")  # cut mid-character
    assert text.startswith("naïve café.") and encoding.startswith("utf-8")


def test_a_pysbd_crash_falls_back_to_punctuation(monkeypatch: pytest.MonkeyPatch) -> None:
    import pysbd

    def boom(self: object, text: str) -> list[str]:
        raise IndexError("pysbd bug")

    monkeypatch.setattr(pysbd.Segmenter, "segment", boom)
    assert split_sentences("First one. Second one!\n\nThird") == ["First one.", "Second one!", "Third"]


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("pt", "O Sr. Silva chegou às 10h. Ele disse que a obra custará R$ 1,5 milhão. A obra começa em março.", 3),
    ("tr", "Dr. Yılmaz dün Ankara'ya geldi. Bakanlık 3.5 milyon lira ayırdı. Çalışmalar başladı.", 3),
    ("ko", "서울시는 내년에 새로운 지하철 노선을 개통한다. 시 당국은 매일 약 만 명이 이용할 것이라고 밝혔다.", 2),
    ("vi", "Ông Nguyễn Văn A cho biết dự án sẽ hoàn thành vào năm 2025. Chi phí khoảng 1,5 tỷ đồng.", 2),
    ("id", "Pemerintah mengumumkan rencana baru pada hari Senin. Biayanya sekitar Rp 2 triliun.", 2),
    ("sv", "Regeringen presenterade i dag nya åtgärder. Kostnaden är tre miljarder kronor.", 2),
    ("cs", "Vláda v pondělí schválila rozpočet. Premiér řekl, že peníze půjdou na školy.", 2),
    ("th", "รัฐบาลไทยประกาศแผนพัฒนาระบบรถไฟความเร็วสูง โครงการนี้จะใช้งบประมาณกว่าหนึ่งแสนล้านบาท", 1),
    ("xx", "One sentence here. Another one there.", 2),
])
def test_sentences_in_languages_pysbd_has_no_rules_for(language: str, text: str, expected: int) -> None:
    """sentencex splits them (abbreviations such as Sr. and Dr. stay inside); the pieces are the text's own."""
    from digest.nlp.profile import profile

    sentences = split_sentences(text, language)
    assert len(sentences) == expected, sentences
    assert "".join(sentences).replace(" ", "") == text.replace(" ", "")
    assert profile(language).sentences == "sentencex"


def test_pysbd_keeps_the_languages_it_has_rules_for() -> None:
    from digest.nlp.profile import profile

    assert [profile(lang).sentences for lang in ("en", "de", "fr", "ru", "ja", "zh-Hant", "my")] == ["pysbd"] * 7
    assert len(split_sentences("အစိုးရက စီမံကိန်းအသစ်ကို ကြေညာခဲ့သည်။ ဤစီမံကိန်းသည် ငွေများစွာ ကုန်ကျမည်။", "my")) == 2
    assert split_sentences("Der Vertrag gilt ab 1. Januar 2025. Er wurde am Montag unterzeichnet.", "de") == [
        "Der Vertrag gilt ab 1. Januar 2025.", "Er wurde am Montag unterzeichnet."]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Hann kom til Íslands 15. júlí. Hann er heill.", "is",
         ["Hann kom til Íslands 15. júlí.", "Hann er heill."]),  # an ordinal date: "15." ends no sentence
        ("Ég mun gera það betra!“ sagði forsetinn. Svo fór hann.", "is",
         ["Ég mun gera það betra!“ sagði forsetinn.", "Svo fór hann."]),  # a quote and its speaker
        ("He left. iPhone sales rose.", "en", ["He left.", "iPhone sales rose."]),  # camel case starts one
    ],
)
def test_no_sentence_starts_with_a_lower_case_word(text: str, language: str, expected: list[str]) -> None:
    assert split_sentences(text, language) == expected


@pytest.mark.parametrize("tag", ["de", "de_DE", "deu", "DE-at"])
def test_any_tag_of_a_language_gets_its_splitter(tag: str) -> None:
    """The profile reads the tag; the splitter gets the language it names, not the raw tag ("deu" fell to English
    rules, which end a sentence at "1.")."""
    assert split_sentences("Der Vertrag gilt ab 1. Januar 2025. Er endet bald.", tag) == [
        "Der Vertrag gilt ab 1. Januar 2025.", "Er endet bald."]
