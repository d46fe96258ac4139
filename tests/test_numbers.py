"""Numbers by value in every language: library word tables, declined forms, Han numerals, CJK counters, times."""

from __future__ import annotations

import pytest

from digest.nlp.checks import check_translation
from digest.nlp.numbers import mentions, scale_table, word_table


def values(text: str, language: str) -> list[set[float]]:
    return [set(m.values) for m in mentions(text, language)]


def strong(text: str, language: str) -> list[float]:
    return [m.value for m in mentions(text, language) if not m.weak]


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("tři domy a čtyři tisíce lidí", "cs", [3, 4000]),
    ("před deseti lety, po dvaceti dnech", "cs", [10, 20]),  # declined by stem: deset → deseti, dvacet → dvaceti
    ("двух тысяч человек", "ru", [2000]),  # num2words declines Russian itself
    ("fimm hús og tuttugu bílar", "is", [5, 20]),
    ("the seventh inning", "en", [7]),
    ("a man in his fifties", "en", [50]),
])
def test_number_words_of_languages_without_a_hand_table(text: str, language: str, expected: list[float]) -> None:
    assert strong(text, language) == expected


def test_scale_words_come_from_cldr() -> None:
    assert strong("2 miliardy korun a 700 milionů", "cs") == [2e9, 7e8]
    assert strong("1,5 тыс. рублей", "ru") == [1500]
    assert scale_table("ha")["biliyan"] == 1e9


def test_a_declined_stem_needs_an_ending_other_numbers_take() -> None:
    table = word_table("cs")
    assert table["pěti"] == "5" and table["dvou"] == "2"
    assert "třída" not in table and "třeba" not in table  # tř(i) + an ending no number takes; more frequent


def test_two_units_in_a_row_are_two_numbers() -> None:
    found = mentions("count one two three, then two hundred and fifty", "en")
    assert [m.value for m in found] == [1, 2, 3, 250]


@pytest.mark.parametrize(("text", "value"), [
    ("两千余元", 2000), ("第二十三届", 23), ("二十万人", 200000), ("二〇二〇年", 2020), ("三千五百万", 35e6),
])
def test_han_numerals_are_read_by_value_and_only_back(text: str, value: float) -> None:
    found = mentions(text, "zh")
    assert found[0].value == value and found[0].weak


@pytest.mark.parametrize(("source", "language", "translation"), [
    ("截至25日16时，水位13.2米。", "zh", "By 16:00 on the 25th, the level was 13.2 metres."),
    ("明天下午2点推出。", "zh", "It opens tomorrow at 2 p.m."),
    ("上午9点半，记者看到。", "zh", "At 9:30 a.m., the journalist saw it."),
    ("上半年上升七成。", "zh", "Up 70% in the first half."),
    ("１８年の知事選で", "ja", "In the 2018 election"),
    ("受け付けは9―20時。", "ja", "Applications between 9:00 and 20:00."),
    ("赔偿两千余元。", "zh", "He paid over 2,000 yuan."),
    ("床抬高了大概半米。", "zh", "The bed was raised by about 0.5 meters."),
])
def test_cjk_counters_back_the_english_number(source: str, language: str, translation: str) -> None:
    assert check_translation(translation, source, "en", language)["number_mismatch"] == []


def test_a_changed_hour_is_still_caught() -> None:
    flagged = check_translation("By 17:00 on the 25th.", "截至25日16时。", "en", "zh")["number_mismatch"]
    assert flagged == ["16", "17:00"]


@pytest.mark.parametrize(("source", "src", "translation", "tgt"), [
    ("Ve 20:00 začne koncert.", "cs", "The concert starts at 8.00 PM.", "en"),
    ("Obřad ve 12:30.", "cs", "The ceremony at 12.30 PM.", "en"),
    ("The vote is at 11:30 pm.", "en", "Hlasování je ve 23.30.", "cs"),
])
def test_one_time_in_two_notations(source: str, src: str, translation: str, tgt: str) -> None:
    assert check_translation(translation, source, tgt, src)["number_mismatch"] == []


def test_czech_words_back_english_digits_and_a_changed_one_is_caught() -> None:
    source = "Zemřeli tři lidé a sto domů se to týká; škoda 2 miliardy korun."
    assert check_translation("Three people died, 100 homes affected; damage of 2 billion crowns.", source, "en",
                             "cs")["number_mismatch"] == []
    assert check_translation("Three people died, 100 homes affected; damage of 5 billion crowns.", source, "en",
                             "cs")["number_mismatch"] == ["2 miliardy", "5 billion"]


def test_values_of_a_half_hour() -> None:
    assert {930.0, 2130.0} <= values("9点半", "zh")[0]


@pytest.mark.parametrize(("source", "translation", "language"), [
    ("It began on July 19.", "活动于 7 月 19 日开始。", "zh"),  # a space before the counter is typesetting
    ("A $3 trillion bill.", "一项 3 万亿美元的法案。", "zh"),
    ("A £10m fund.", "一笔 1,000 万英镑的资金。", "zh"),
    ("The fire burned 21,000 acres.", "大火烧毁约 8,498 公顷土地。", "zh"),  # acres in hectares, in Han units
    ("A tunnel of roughly 18.9 km.", "全长约18.9千米的隧道。", "zh"),  # 千 of 千米 is kilo, not a thousand
    ("Users born in the 1990s.", "“90后”用户。", "zh"),
    ("It reported 2,06,737 cases.", "报告病例 206,737 例。", "zh"),  # Indian grouping by lakhs
])
def test_chinese_typesetting_units_and_groupings(source: str, translation: str, language: str) -> None:
    assert check_translation(translation, source, language, "en")["number_mismatch"] == []


def test_a_changed_count_of_myriads_is_caught() -> None:
    flagged = check_translation("一笔 2,000 万英镑的资金。", "A £10m fund.", "zh", "en")["number_mismatch"]
    assert flagged == ["£10m", "2,000 万"]


def test_hausa_writes_the_scale_before_the_number_as_cldr_says() -> None:
    assert strong("Gwamnati ta ware naira biliyan 126 domin asibitoci.", "ha") == [126e9]
    source = "Najeriya za ta karbo Dala miliyan 200."
    assert check_translation("Nigeria will collect 200 million dollars.", source, "en", "ha")["number_mismatch"] == []
    assert check_translation("Nigeria will collect 300 million dollars.", source, "en", "ha")["number_mismatch"]


@pytest.mark.parametrize(("word", "value"), [
    ("dvouletá", 2), ("devadesátičlenný", 90), ("dvoutýdenní", 2),  # a number form and a word of the language
    ("dvě", 2), ("tří", 3),  # one vowel for the one the stem dropped
])
def test_czech_compounds_and_vowel_forms(word: str, value: float) -> None:
    assert strong(f"Byla to {word} věc.", "cs") == [value]


def test_a_number_at_the_end_of_a_text_is_no_month() -> None:
    assert mentions("They won 7", "en")[-1].month is None


def test_hour_and_minutes_counted_in_japanese() -> None:
    source = "Police declared it around 11:30 p.m."
    assert check_translation("午後11時30分頃、警察が宣言した。", source, "ja", "en")["number_mismatch"] == []
    assert check_translation("午後10時30分頃、警察が宣言した。", source, "ja", "en")["number_mismatch"] == [
        "11:30", "10", "30"]


def test_a_scaled_decimal_is_the_exact_figure_rounded_or_cut() -> None:
    source = "Only the United States (41.78 lakh cases) and Brazil (23.94 lakh cases) are worse off."
    rounded = "Hůř jsou na tom pouze Spojené státy (4,17 mil. případů) a Brazílie (2,39 mil. případů)."
    assert check_translation(rounded, source, "cs", "en")["number_mismatch"] == []
    wrong = "Hůř jsou na tom pouze Spojené státy (5,17 mil. případů) a Brazílie (2,39 mil. případů)."
    assert check_translation(wrong, source, "cs", "en")["number_mismatch"] == ["41.78 lakh", "5,17 mil"]
    # a whole number stands for itself: "4 million" is not 4,178,000
    assert check_translation("Stálo to 4 miliony.", "It cost 4,178,000.", "cs", "en")["number_mismatch"]


def test_a_range_shares_its_scale_and_a_bare_m_may_be_metres() -> None:
    assert values("mezi 3 až 8 miliony liber", "cs") == [{3.0, 3e6}, {8e6}]
    assert values("between 3 and 8 million", "en") == [{3.0, 3e6}, {8e6}]
    assert values("a span of 449ft (137m)", "en")[1] == {137.0, 137e6}
    assert values("it cost £10m", "en") == [{10e6}]  # money: only million
    span = "When it opened in 1820, it had a span of 449ft (137m)."
    assert check_translation("Po otevření v roce 1820 měřil 137 m.", span, "cs", "en")["number_mismatch"] == []
    assert check_translation("Po otevření v roce 1820 měřil 437 m.", span, "cs", "en")["number_mismatch"]


def test_no_range_or_metres_where_none_is_written() -> None:
    assert values("in 2020 to 3 million people", "en")[0] == {2020.0}  # a range runs up
    assert values("the 5 of 8 million", "en")[0] == {5.0}
    assert values("They have 137m people.", "en") == [{137e6}]  # a count, not a length
    source = "It has " + "9" * 400 + " people and 4.17 million cars."
    assert check_translation("Má 4,17 milionu aut.", source, "cs", "en")["number_mismatch"]  # no overflow


def test_a_duration_backs_the_same_span_in_other_units() -> None:
    """CLDR's duration units in every plural form, declined forms by stem: 14 days are two weeks, two decades
    twenty years; a changed span is still caught."""
    weeks = "Hranice zůstanou zavřené v dalších dvou týdnech."
    assert check_translation(weeks, "The border stays shut for the next 14 days.", "cs", "en")["number_mismatch"] == []
    days = "Hranice zůstanou zavřené v dalších dvou dnech."
    assert check_translation(days, "The border stays shut for the next 14 days.", "cs", "en")["number_mismatch"]
    source = "He moved here over two decades ago."
    assert check_translation("Přestěhoval se sem před více než dvaceti lety.", source, "cs", "en")[
        "number_mismatch"] == []
    assert check_translation("Přestěhoval se sem před více než třiceti lety.", source, "cs", "en")["number_mismatch"]
    assert check_translation("Er zog vor 14 Tagen um.", "He moved two weeks ago.", "de", "en")["number_mismatch"] == []
    assert check_translation("彼は2週間前に引っ越した。", "He moved 14 days ago.", "ja", "en")["number_mismatch"] == []
    assert values("On 5 Dec it began.", "en") == [{5.0}] and mentions("On 5 Dec it began.", "en")[0].span is None


def test_a_declined_number_form_outside_the_vocabulary_is_read() -> None:
    """"dvanáctým" (the 12th, instrumental) is too rare for the word list, but its stem and ending are a number's."""
    assert values("Bude už dvanáctým trenérem.", "cs") == [{12.0}]
    assert values("Třída je třeba.", "cs") == []  # stems of tři, but no number's endings
    source = "He will be the 12th coach in eight years."
    assert check_translation("Bude už dvanáctým trenérem za 8 let.", source, "cs", "en")["number_mismatch"] == []
    assert check_translation("Bude už třináctým trenérem za 8 let.", source, "cs", "en")["number_mismatch"]


def test_a_conversion_by_a_rule_of_thumb_factor_is_backed() -> None:
    """21,000 acres are 8,498 ha; a translator's 0.4 ha an acre gives 8,400, within 2 %. A changed figure is not."""
    source = "The fire has burnt through 21,000 acres."
    good = "Požár sežehl 21 000 akrů (8 400 ha)."
    assert check_translation(good, source, "cs", "en")["number_mismatch"] == []
    assert check_translation("Požár sežehl 21 000 akrů (6 400 ha).", source, "cs", "en")["number_mismatch"] == ["6 400"]


def test_a_decade_is_backed_by_its_last_two_digits() -> None:
    source = "Grafting dates back to at least the 1920s."
    assert check_translation("Roubování je kuriozita z 20. let 20. století.", source, "cs", "en")[
        "number_mismatch"] == []
    assert check_translation("Roubování je kuriozita z 30. let 20. století.", source, "cs", "en")["number_mismatch"]
    assert [m.decade for m in mentions("die 1920er Jahre", "de")] == [20.0]
    assert [m.decade for m in mentions("in 1920 it rained", "en")] == [None]  # a year, not a decade
    assert [m.decade for m in mentions("a 1990km trip", "en")] == [None]  # a unit glued on is no decade
    # the two digits only back: a changed decade is not backed by another number that has them
    assert check_translation("In den 1930er Jahren gingen 30 Arbeiter.", "In the 1920s, 30 workers left.", "de",
                             "en")["number_mismatch"]


def test_a_scale_word_in_another_case_still_scales() -> None:
    """CLDR gives "tisíc", "tisíce", "milionu"; a declining language writes them in every case ("645 tisícům")."""
    assert values("se blíží 645 tisícům", "cs") == [{645e3}]
    assert values("ve 3 milionech domácností", "cs")[0] == {3e6}
    assert values("с 2 миллионами жителей", "ru")[0] == {2e6}
    assert values("jen 5 milá slova", "cs") == [{5.0}]  # "mil." is an abbreviation: no stem of "milá"
    source = "Podle tohoto zdroje se počet obětí blíží 645 tisícům."
    assert check_translation("The death toll is nearing 645,000.", source, "en", "cs")["number_mismatch"] == []
    assert check_translation("The death toll is nearing 645.", source, "en", "cs")["number_mismatch"]


def test_japanese_era_years_are_gregorian_years_too() -> None:
    assert values("令和2年6月に発表", "ja")[0] == {2.0, 2020.0}
    assert values("平成三十年", "ja")[0] == {30.0, 2018.0}
    assert values("2年後", "ja")[0] == {2.0}  # no era before it
    source = "調査は令和2年6月に発表された。"
    assert check_translation("The survey was published in June 2020.", source, "en", "ja")["number_mismatch"] == []
    assert check_translation("The survey was published in June 2021.", source, "en", "ja")["number_mismatch"]


def test_midnight_noon_and_an_hour_back_their_numbers() -> None:
    """CLDR's day periods name 0:00 and 12:00 in each language; "an hour" is one hour. They back, never claim."""
    source = "7月15日午前0時から1時間の検査が加わった。"
    assert check_translation("From midnight on July 15, an hour-long test was added.", source, "en", "ja")[
        "number_mismatch"] == []
    assert check_translation("From midnight on July 15, a two-hour test was added.", source, "en", "ja")[
        "number_mismatch"]
    assert values("o půlnoci a v poledne", "cs") == [{0.0, 2400.0}, {1200.0}]
    assert check_translation("Přišlo 12 lidí.", "They met at noon.", "cs", "en")["number_mismatch"]  # no plain 12
    assert values("a dog and a week", "en") == [{1.0}]  # an article is one only before a unit
    assert [(m.surface, m.weak) for m in mentions("at midnight, for an hour", "en")] == [("midnight", True),
                                                                                       ("an", True)]
