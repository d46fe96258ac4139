"""Legacy-encoded news files (cp1252, latin-1, cp1250, UTF-16) must read exactly as written, never as mojibake.

tests/data/encodings holds real-looking articles in several languages, each next to its UTF-8 original
(`NAME.expected`); a short cp1252 file is the case charset-normalizer alone reads as mac_latin2.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.inputs.article import Article
from digest.inputs.discover import read_articles
from digest.nlp.text import decode_bytes

DATA = Path(__file__).parent / "data" / "encodings"
FILES = sorted(DATA.glob("*.txt"))
MOJIBAKE = ("ť", "Ų", "ď", "Ē", "Ä2", "Ã", "â€", "ø", "ì", "õ", "û", "³", "¿", "¹")


def expected(path: Path) -> str:
    return (path.parent / (path.name + ".expected")).read_text(encoding="utf-8")


def test_the_corpus_covers_every_legacy_family() -> None:
    kinds = {path.name.split(".")[1] for path in FILES}
    assert {"cp1252", "latin1", "cp1250", "utf16", "utf16be"} <= kinds and len(FILES) >= 10


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_each_file_decodes_to_its_original(path: Path) -> None:
    text, encoding = decode_bytes(path.read_bytes())
    assert text.lstrip("\ufeff") == expected(path), encoding
    family = path.name.split(".")[1]
    allowed = {"cp1252": {"cp1252"}, "latin1": {"cp1252", "latin_1"}, "cp1250": {"cp1250"},
               "utf16": {"utf-16"}, "utf16be": {"utf-16"}}[family]
    assert encoding in allowed


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_articles_from_legacy_files_carry_no_mojibake(path: Path) -> None:
    (article,) = read_articles([path])
    assert isinstance(article, Article), article
    original = expected(path)
    assert article.title == original.splitlines()[0]
    assert " ".join(article.text.split()) in " ".join(original.split())
    for bad in MOJIBAKE:
        assert (bad in article.title + article.text) == (bad in original), bad


def test_the_issue_example_is_not_mac_latin2() -> None:
    raw = "Café owners in Köln\n\n“It’s unfair,” said one owner of the €2,000 levy.\n".encode("cp1252")
    assert decode_bytes(raw) == (raw.decode("cp1252"), "cp1252")


# -- legacy code pages of other scripts ----------------------------------------------------------------------------

#: code page → (language, a few sentences of news-like text written for this test: headline first)
SCRIPTS = {
    "cp1256": ("ar", "افتتاح جسر جديد فوق النيل\n\nافتتحت الحكومة المصرية يوم الثلاثاء جسرًا جديدًا يربط ضفتي النيل، "
                     "ويقول المسؤولون إنه سيخفف الزحام عن وسط المدينة. وبلغت تكلفة المشروع نحو 12 مليار جنيه، بحسب "
                     "وزارة النقل. وقال الوزير إن الجسر سيخدم أكثر من مئة ألف سيارة يوميًا."),
    "cp1255": ("he", "רכבת קלה חדשה בירושלים\n\nהקו החדש של הרכבת הקלה בירושלים נפתח ביום ראשון ויסיע כ-120 אלף נוסעים "
                     "ביום, לפי משרד התחבורה. ראש העירייה אמר כי מדובר בפרויקט התחבורה הגדול ביותר בעיר מזה עשורים."),
    "cp1253": ("el", "Νέα μέτρα για την ενέργεια\n\nΗ κυβέρνηση ανακοίνωσε την Τρίτη νέα μέτρα για τη στήριξη των "
                     "νοικοκυριών απέναντι στην αύξηση των τιμών της ενέργειας. Σύμφωνα με το υπουργείο Οικονομικών, "
                     "το κόστος του προγράμματος θα φτάσει τα 2 δισεκατομμύρια ευρώ."),
    "cp1251": ("ru", "Новая станция метро\n\nВо вторник в Москве открылась новая станция метро на Большой кольцевой "
                     "линии. По данным мэрии, ею будут пользоваться около 40 тысяч пассажиров в день."),
    "koi8_r": ("ru", "Ставка сохранена\n\nБанк России сохранил ключевую ставку на уровне 16% годовых, сообщила "
                     "пресс-служба регулятора. Аналитики ожидали такого решения."),
    "cp874": ("th", "เปิดรถไฟฟ้าสายใหม่\n\nกรุงเทพมหานครเปิดให้บริการรถไฟฟ้าสายสีชมพูอย่างเป็นทางการเมื่อวันอังคาร "
                    "คาดว่าจะมีผู้โดยสารวันละกว่าหนึ่งแสนคน"),
    "gb18030": ("zh", "北京新开通两条地铁线路\n\n北京市周二开通两条新的地铁线路，全长约四十公里，"
                      "预计每天可运送乘客三十万人次。市交通委员会表示，新线路将缓解城市北部的交通压力。"),
    "big5": ("zh-Hant", "捷運新路線通車\n\n臺北捷運萬大線第一階段週六正式通車，市府表示，預計每日載客量將達十萬人次。"),
    "shift_jis": ("ja", "新しい地下鉄路線が開業\n\n東京都は火曜日、都心と臨海部を結ぶ新しい地下鉄路線を開業した。"
                        "一日あたり約十万人の利用が見込まれている。"),
    "euc_kr": ("ko", "새 지하철 노선 개통\n\n서울시는 화요일 도심과 강남을 잇는 새 지하철 노선을 개통했다고 밝혔다. "
                     "하루 이용객은 약 십만 명으로 예상된다."),
}


def _same_code_page(found: str, written: str) -> bool:
    """`found` decodes every text `written` can hold the same way (cp932 ⊇ shift_jis, cp949 ⊇ euc-kr)."""
    import codecs

    supersets = {"shift_jis": {"cp932"}, "euc_kr": {"cp949"}, "gb18030": set(), "big5": {"cp950", "big5hkscs"}}
    name = codecs.lookup(found).name
    return name == codecs.lookup(written).name or name in {codecs.lookup(s).name for s in supersets.get(written, ())}


@pytest.mark.parametrize("encoding", SCRIPTS)
def test_legacy_code_pages_of_other_scripts_decode_right(encoding: str) -> None:
    _, text = SCRIPTS[encoding]
    for sample in (text, text.split("\n\n")[1].split(".")[0].split("。")[0]):  # the article, and one sentence
        decoded, found = decode_bytes(sample.encode(encoding))
        assert decoded == sample and _same_code_page(found, encoding), (found, decoded[:40])


@pytest.mark.parametrize("encoding", SCRIPTS)
def test_legacy_html_without_a_meta_charset_reads_in_its_script(encoding: str, tmp_path: Path) -> None:
    lang, text = SCRIPTS[encoding]
    title, body = text.split("\n\n")
    page = (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{body}</p>"
            f"<p>{body}</p></article></body></html>")
    (tmp_path / "page.html").write_bytes(page.encode(encoding))
    (tmp_path / "plain.txt").write_bytes(text.encode(encoding))
    for article in read_articles([tmp_path / "page.html", tmp_path / "plain.txt"]):
        assert isinstance(article, Article), article
        assert article.title == title and body.split("，")[0].split("،")[0] in article.text, (lang, article.text[:60])


def test_western_text_with_lone_accented_words_stays_western() -> None:
    """"à" alone between spaces reads as Cyrillic "а" in cp1251: too few letters to make the text Cyrillic."""
    text = "Rendez-vous à Paris à midi pour la réunion du conseil municipal, a précisé la mairie."
    assert decode_bytes(text.encode("cp1252")) == (text, "cp1252")
