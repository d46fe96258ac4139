"""Names across inflection (Czech, Icelandic) and in languages without a word list (Hausa): kept or dropped."""

from __future__ import annotations

import pytest

from digest.nlp.checks import check_translation
from digest.nlp.names import has_word_list, inflected, name_runs
from digest.nlp.places import same_place


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Xerxes", "Xerxova", True),  # a possessive adjective
        ("Zemanovi", "Zeman", True),  # a dative, back to the base form
        ("Kargil", "kárgilské", True),  # a lower-case adjective
        ("Eva", "Evy", True),  # a short first name in the genitive
        ("Aeschylus", "Aischylova", True),  # respelled by one letter, then declined
        ("Morrison", "Morisonem", True),  # a doubled letter written once
        ("Pavel", "Pablem", False),  # one letter changed, and nothing shared after it
        ("Merkel", "Merlin", False),
        ("Eva", "eve", False),  # a short stem only between two capitalised words
        ("Paris", "Parlament", False),
    ],
)
def test_inflected(a: str, b: str, same: bool) -> None:
    assert inflected(a, b) is same


def test_czech_translation_keeps_declined_names_and_drops_are_flagged() -> None:
    source = "Yesterday the minister met Tomas Hruby and Jana Kubelkova in the capital."
    kept = "Ministr se včera v hlavním městě setkal s Tomášem Hrubým a Janou Kubelkovou."
    assert check_translation(kept, source, "cs", "en")["missing_names"] == []
    dropped = "Ministr se včera v hlavním městě setkal s Tomášem Hrubým."
    assert check_translation(dropped, source, "cs", "en")["missing_names"] == ["Jana Kubelkova"]


def test_czech_declines_every_word_of_a_place_and_joins_two_word_names() -> None:
    source = "Quarantine rules for travellers to the UK and Tamil Nadu changed in June."
    translation = "Pravidla karantény pro cestující do Spojeného království a do Tamilnádu se v červnu změnila."
    assert check_translation(translation, source, "cs", "en")["missing_names"] == []


def test_lower_case_acronym() -> None:
    source = "The office said COVID had closed it."
    assert check_translation("Úřad uvedl, že ho uzavřel covid.", source, "cs", "en")["missing_names"] == []


def test_hausa_has_no_word_list() -> None:
    assert not has_word_list("ha") and has_word_list("cs") and has_word_list("hr")


def test_without_a_word_list_only_acronyms_are_checked_and_the_record_says_so() -> None:
    """Hausa has no word list: "Gwamna" (governor) and "Jihar" (state) cannot be told from names, so only acronyms
    are asked for, and `not_checked` says why, instead of flagging titles on every other faithful translation."""
    source = "Jiya Gwamna Musa Danladi na Jihar Kolomi ya gana da manema labarai na APC."
    faithful = check_translation("Yesterday Governor Musa Danladi of Kolomi State met APC reporters.", source,
                                 "en", "ha")
    assert faithful["missing_names"] == []
    assert "no word list for ha" in faithful["not_checked"]["missing_names"]
    dropped = check_translation("Yesterday the governor of Kolomi State met reporters.", source, "en", "ha")
    assert dropped["missing_names"] == ["APC"]


def test_hausa_weekday_forms_are_no_names() -> None:
    assert name_runs("Taron ya gudana a ranar Lahadin da ta gabata, in ji Musa.", "ha") == [["Musa"]]


def test_hausa_and_is_no_connector() -> None:
    """"da" joins names in Italian ("Leonardo da Vinci") but is "and" in Hausa: two names."""
    assert name_runs("Shugabannin kasashen Ghana da Togo sun hadu.", "ha") == [["Ghana"], ["Togo"]]


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("Rules for UK travellers changed.", "Pravidla pro britské turisty se změnila."),  # the adjective
        ("We must protect the UK now.", "Musíme teď chránit Británii."),  # "Britain", declined
        ("He criticised the U.S. deal.", "Kritizoval dohodu se Spojenými státy."),  # dotted, every word declined
        ("US failures are holding back research.", "Americké selhání brzdí výzkum."),
    ],
)
def test_czech_names_countries_in_its_own_forms(source: str, translation: str) -> None:
    assert check_translation(translation, source, "cs", "en")["missing_names"] == []


def test_a_similar_country_is_not_the_same() -> None:
    """"Austrálii" starts like "Austria" but is a case of Austrálie (AU): no form of Austria."""
    assert not same_place("Austria", ["Navštívil", "Austrálii"], "en", "cs")
    assert same_place("Australia", ["Navštívil", "Austrálii"], "en", "cs")


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ('"I am fine," Mr Chouhan tweeted from the hospital.', "„Jsem v pořádku,“ tweetoval Čauhán z nemocnice."),
        ("Militants of Jamaat-ul-Ahrar were seen there.", "Byli tam vidět bojovníci Džamát ul-Ahrar."),
        ("Thousands of anti-Pakistan militants are there.", "Jsou tam tisíce protipákistánských bojovníků."),
    ],
)
def test_czech_spells_foreign_names_as_they_sound(source: str, translation: str) -> None:
    """Czech writes a foreign name as it sounds, or makes a lower-case adjective of it: the name is kept."""
    assert check_translation(translation, source, "cs", "en")["missing_names"] == []


def test_a_sounded_name_is_still_lost_when_the_translation_has_none() -> None:
    flagged = check_translation("„Jsem v pořádku,“ tweetoval ministr z nemocnice.",
                                '"I am fine," Mr Chouhan tweeted from the hospital.', "cs", "en")
    assert flagged["missing_names"] == ["Chouhan"]


def test_a_possessive_ends_a_name_and_new_starts_one() -> None:
    text = "A poll put him ahead of the Green Party's Howie Hawkins, said a former New York Police Department officer."
    assert name_runs(text, "en")[:2] == [["Green", "Party"], ["Howie", "Hawkins"]]
    assert ["New", "York", "Police", "Department"] in name_runs(text, "en")
    source = "said Corey Pegues, former New York Police Department Deputy Inspector, on Monday."
    czech = "říká Corey Pegues, bývalý zástupce inspektora newyorského policejního oddělení, v pondělí."
    assert check_translation(czech, source, "cs", "en")["missing_names"] == []


def test_a_name_made_of_common_words_may_be_translated_but_not_simply_dropped() -> None:
    source = "Paul Pogba drops hint over his future after the club sealed a Champions League spot on Sunday."
    czech = "Paul Pogba naznačil svou budoucnost poté, co si klub v neděli zajistil místo v Lize mistrů."
    assert check_translation(czech, source, "cs", "en")["missing_names"] == []
    dropped = "Paul Pogba naznačil svou budoucnost poté, co si klub v neděli zajistil místo v soutěži."
    assert check_translation(dropped, source, "cs", "en")["missing_names"] == ["Champions League"]
    # a name put in is no translation of it ("Manchester" is no Czech word), and one word is a person
    swapped = "Paul Pogba naznačil svou budoucnost poté, co si klub v neděli zajistil místo v Manchester."
    assert check_translation(swapped, source, "cs", "en")["missing_names"] == ["Champions League"]
    person = "President Trump said on Sunday that the Champions League will go on."
    assert "Trump" in check_translation("Prezident v neděli řekl, že Liga mistrů bude pokračovat.", person, "cs",
                                        "en")["missing_names"]


def test_a_possessive_before_a_common_word_goes_on_with_the_name() -> None:
    runs = name_runs("Crowds filled the streets of St John's Wood and watched the parade in New York.", "en")
    assert ["St", "John", "Wood"] in runs
    runs = name_runs("Crowds watched Macy's Thanksgiving Parade as it moved through New York last year.", "en")
    assert ["Macy", "Thanksgiving", "Parade"] in runs
