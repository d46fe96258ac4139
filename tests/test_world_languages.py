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
