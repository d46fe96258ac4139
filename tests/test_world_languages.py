"""Languages beyond the Latin-script few: the checks and the summarizer run on every script without crashing."""

from __future__ import annotations

import pytest

from digest.nlp.checks import check_article, check_summary, check_translation
from digest.nlp.names import zipf

TEXTS = {
    "zh": "东京奥运会将于明年七月举行。组委会表示，约有一万名运动员参加比赛。日本政府希望吸引更多游客。",
    "ja": ("東京オリンピックは来年七月に開催される。組織委員会によると、約一万人の選手が参加する。"
           "政府は観光客の増加を期待している。"),
    "ko": "서울시는 내년에 새로운 지하철 노선을 개통한다. 시 당국은 약 만 명의 승객이 매일 이용할 것이라고 밝혔다.",
    "th": "รัฐบาลไทยประกาศแผนพัฒนาระบบรถไฟความเร็วสูง โครงการนี้จะใช้งบประมาณกว่าหนึ่งแสนล้านบาท",
    "ar": "أعلنت الحكومة المصرية عن خطة جديدة لتطوير النقل العام. وقال الوزير إن المشروع سيكلف مليار دولار.",
    "hi": "भारत सरकार ने नई रेल परियोजना की घोषणा की। मंत्री ने कहा कि इसमें पांच साल लगेंगे।",
}
ENGLISH = "The Tokyo Olympics will be held next July. About 10,000 athletes will take part, the organisers said."


def test_zipf_reads_cjk_tables_without_their_tokenizers():
    """wordfreq tokenizes zh with jieba and ja/ko with MeCab, which the default install lacks."""
    assert zipf("中国", "zh") > 4
    assert zipf("日本", "ja") > 4
    assert zipf("서울", "ko") > 3
    assert zipf("东京", "zh-Hans") > 3
    assert zipf("qqqzzz", "zh") == 0.0


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_checks_run_in_every_script(language):
    text = TEXTS[language]
    summary = check_summary(text[: len(text) // 2], text, language)
    assert set(summary) >= {"unsupported_numbers", "unsupported_names", "unsupported_quotes"}
    there = check_translation(ENGLISH, text, "en", language)
    back = check_translation(text, ENGLISH, language, "en")
    for record in (there, back):
        assert {"number_mismatch", "missing_names", "missing_sentences", "wrong_language"} <= set(record)
    record = check_article(text, text[: len(text) // 2], language, {"en": ENGLISH})
    assert isinstance(record["flags"], int)


def test_lengths_count_characters_where_words_have_no_spaces():
    from digest.nlp.text import length_units, terms

    assert length_units("东京奥运会将于明年七月举行。") == 14
    assert length_units("The Tokyo Olympics will be held.") == 6
    assert length_units("東京2020大会 opens") == 6  # 東 京 2020 大 会 opens
    assert terms("东京奥运") == ["东京", "京奥", "奥运"]
    assert terms("berlin") == ["berlin"]


def test_extractive_summary_of_chinese_is_not_the_article():
    from digest.engines.extractive import ExtractiveEngine

    sentences = ["东京奥运会将于明年七月举行，组委会今天公布了新的比赛日程。",
                 "约有一万名运动员将参加三十三个大项的比赛。",
                 "日本政府希望奥运会能够吸引更多外国游客前来观光。", "由于疫情影响，部分比赛可能不允许观众入场。",
                 "组委会表示，将在下个月决定观众人数上限。", "东京都知事表示，城市已经做好了充分准备。",
                 "许多当地居民对举办奥运会仍然持有不同意见。", "专家认为，奥运会的经济效益可能低于预期。"]
    text = "".join(sentences)
    engine = ExtractiveEngine()
    summary = engine.generate_candidates([text], engine.default_params, src_lang="zh")[0][0].text
    assert summary.startswith(sentences[0])
    assert len(summary) <= 0.6 * len(text)
    assert engine.count_tokens([text]) == [len(text)]


def test_min_length_never_asks_for_a_short_article_whole():
    from digest.engines.extractive import ExtractiveEngine

    text = " ".join(f"Sentence number {w} says a few more words here." for w in
                    ("one", "two", "three", "four", "five", "six"))
    engine = ExtractiveEngine()
    summary = engine.generate_candidates([text], engine.default_params, src_lang="en")[0][0].text
    assert len(summary.split()) < len(text.split()) // 2 + 9


def test_names_across_cased_scripts_are_checked_and_caseless_ones_declared_not_checked():
    record = check_translation("Путин встретился в Женеве.", "Putin met Biden in Geneva.", "ru", "en")
    assert record["missing_names"] == ["Biden"] and "not_checked" not in record
    caseless = check_translation("普京在日内瓦会见了拜登。", "Putin met Biden in Geneva.", "zh", "en")
    assert caseless["missing_names"] == []
    assert "LATIN to CJK" in caseless["not_checked"]["missing_names"]
    same = check_translation("Putin traf in Genf.", "Putin met Biden in Geneva.", "de", "en")
    assert "not_checked" not in same and "Biden" in same["missing_names"]


def test_numbers_next_to_cjk_characters_are_whole():
    from digest.nlp.checks import numbers_in

    assert numbers_in("新华社成都7月26日电", "zh") == ["7", "26"]
    assert numbers_in("吸引500余种野生动物", "zh") == ["500"]
    assert check_translation("More than 500 species.", "500余种。", "en", "zh")["number_mismatch"] == []
