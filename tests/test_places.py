"""One place under its names in each language (CLDR through Babel): countries, time-zone cities, adjectives."""

from __future__ import annotations

import pytest

from digest.nlp.checks import check_translation
from digest.nlp.places import places, same_place


def test_a_city_that_names_a_time_zone_has_its_exonyms():
    assert "Europe/Vienna" in places("de")["wien"] & places("en")["vienna"] & places("fr")["vienne"]
    assert "Europe/Moscow" in places("de")["moskau"] & places("fr")["moscou"]


def test_country_adjectives_come_from_language_names():
    assert "US" in places("fr")["americain"] and "GB" in places("en")["british"]
    assert "DE" in places("fr")["allemand"] and "AT" in places("de")["osterreichisches"]
    assert "arabisch" not in places("de")  # Arabic is no adjective of Egypt: it does not start like "Ägypten"
    assert "european" not in places("en")  # "European Spanish": Europe is another place
    assert "englisch" not in places("de")  # CLDR names English after the US and Britain: no adjective of either
    assert places("xx") == {}


def test_states_and_provinces_have_their_names_per_language():
    assert places("de")["bayern"] == places("en")["bavaria"] == places("fr")["bavière"] == {"DE-BY"}
    assert "US-NC" in places("fr")["caroline du nord"] & places("de")["north carolina"]


def test_a_country_is_also_the_name_its_official_name_adds():
    assert places("en")["britain"] == places("de")["großbritannien"] == places("fr")["grande-bretagne"] == {"GB"}
    assert "america" not in places("en")  # also "Latin America"
    assert places("en")["ireland"] == {"IE"}  # "… and Northern Ireland": another country's name stays its own


@pytest.mark.parametrize(("name", "words", "source", "target"), [
    ("UK", ["Reisende", "in", "Großbritannien"], "en", "de"),
    ("EU", ["la", "Commission", "européenne"], "de", "fr"),
    ("Tunisians", ["aller", "Tunesier"], "en", "de"),
    ("Britain", ["Großbritanniens", "Tui"], "en", "de"),
    ("Bayerns", ["on", "Bavaria", "s", "streets"], "de", "en"),
    ("Oberbayern", ["en", "Haute", "Bavière"], "de", "fr"),
    ("Wien", ["infections", "in", "Vienna"], "de", "en"),
    ("US", ["l", "économie", "américaine"], "de", "fr"),
    ("Deutschland", ["le", "territoire", "allemand"], "de", "fr"),
    ("Schweiz", ["le", "franc", "suisse"], "de", "fr"),
])
def test_a_place_is_kept_under_another_name_or_as_an_adjective(name, words, source, target):
    assert same_place(name, words, source, target)


def test_a_place_replaced_by_another_is_not_kept():
    assert not same_place("Wien", ["infections", "in", "Austria"], "de", "en")
    assert not same_place("Bayern", ["in", "Saxony"], "de", "en")
    assert not same_place("EU", ["la", "Commission", "de", "l", "Union", "africaine"], "de", "fr")
    assert not same_place("US", ["l", "économie", "allemande"], "de", "fr")


@pytest.mark.parametrize(("translation", "summary", "target", "source", "lost"), [
    ("60 Corona new infections in only one day in Vienna.", "60 Corona-Neuinfektionen an nur einem Tag in Wien.",
     "en", "de", []),
    ("L’économie américaine : la Fed doit fixer un cap.", "US-Wirtschaft: Die Fed muss einen Kurs festlegen.",
     "fr", "de", []),
    # the name comes as "Royaume Uni", the place data says "Royaume-Uni"
    ("Spanien (90), wobei Großbritannien mit 76 hinterherhinkt.",
     "l'Espagne (90), le Royaume-Uni étant à la traîne avec 76.", "de", "fr", []),
    ("60 nouvelles infections en un jour à Berlin.", "60 Neuinfektionen an nur einem Tag in Wien.", "fr", "de",
     ["Wien"]),
])
def test_translations_naming_places_their_own_way_are_not_flagged(translation, summary, target, source, lost):
    assert check_translation(translation, summary, target, source)["missing_names"] == lost


@pytest.mark.parametrize(("translation", "summary", "target", "source", "lost"), [
    ("Der Vorfall ereignete sich im Königreich Saudi-Arabien.", "The incident happened in the UK.", "de", "en", "UK"),
    ("Die Vereinigten Arabischen Emirate verhängten Sanktionen.", "The US imposed sanctions.", "de", "en", "US"),
    ("Storms hit northern England.", "Stürme trafen Nordirland.", "en", "de", "Nordirland"),
    ("Exports to Latin America fell.", "Die Exporte in die USA fielen.", "en", "de", "USA"),
    ("Bei den Unruhen starben rund 100 Menschen.", "At least 100 people died in Burundi.", "de", "en", "Burundi"),
    ("Le ministre s'est rendu en Arabie saoudite.", "Der Minister reiste nach Ägypten.", "fr", "de", "Ägypten"),
    ("Die arabischen Medien berichteten.", "Media in Egypt reported it.", "de", "en", "Egypt"),
    ("The accident happened in Neuchâtel.", "Der Unfall ereignete sich in Neuenbürg.", "en", "de", "Neuenbürg"),
    ("Die serbischen Wähler stimmten ab.", "Voters in the Republika Srpska voted.", "de", "en", "Republika Srpska"),
])
def test_a_word_shared_with_another_place_keeps_no_place(translation, summary, target, source, lost):
    assert check_translation(translation, summary, target, source)["missing_names"] == [lost]


@pytest.mark.parametrize(("name", "words", "source", "target"), [
    ("England", ["Pákistán", "a", "Anglie"], "en", "cs"),  # English is "angličtina" in Czech
    ("Scotland", ["skotský", "Institut"], "en", "cs"),  # Scots, "skotština"
    ("England", ["Тилла", "из", "Англии"], "en", "ru"),  # "английский"
    ("Punjab", ["v", "Paňdžábu"], "en", "cs"),  # Punjabi, "paňdžábština"
])
def test_a_region_is_kept_under_the_name_of_its_language(name, words, source, target):
    assert same_place(name, words, source, target)


def test_a_region_is_not_kept_by_another_language_or_country():
    assert not same_place("England", ["Pákistán", "a", "Francie"], "en", "cs")
    assert not same_place("Scotland", ["anglický", "Institut"], "en", "cs")
    # a word that only starts like the language ("portál" of Portuguese, "schon" of "schottisch")
    assert not same_place("Portsmouth", ["uvedl", "portál"], "en", "cs")
    assert not same_place("Scotland", ["ist", "schon", "in", "London"], "en", "de")
    assert not same_place("Catania", ["způsobily", "katastrofu"], "en", "cs")
