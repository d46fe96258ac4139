"""A currency written by its symbol or code is kept when the translation names the same currency (CLDR)."""

from __future__ import annotations

import pytest

from digest.nlp.checks import check_translation
from digest.nlp.currencies import currency_kept


@pytest.mark.parametrize(("name", "translation", "target"), [
    # "Rs" is Pakistan's (and Mauritius', the Seychelles') symbol in CLDR's English locales: a rupee by its noun
    ("Rs", "Singh dal 10 000 rupií na vzdělání dětí.", "cs"),  # "pákistánských rupií", CLDR's plural form
    ("Rs", "Сингх дал 10 000 рупий.", "ru"),
    ("Rs", "Singh zahlte 10.000 Rupien.", "de"),
    ("USD", "Firma zaplatila 5 milionů amerických dolarů.", "cs"),
    ("USD", "Firma zaplatila 5 milionů USD.", "cs"),  # the code itself
    ("Ksh", "Serikali ilitoa KES 200.", "sw"),  # Kenya's symbol, and the code in the translation
])
def test_a_currency_is_kept_under_its_name_in_the_target(name, translation, target):
    assert currency_kept(name, translation, "en", target)


def test_another_currency_or_no_currency_keeps_none():
    assert not currency_kept("Rs", "Singh dal 10 000 dolarů.", "en", "cs")
    assert not currency_kept("USD", "Firma zaplatila 5 milionů eur.", "en", "cs")
    assert not currency_kept("Singh", "Singh dal 10 000 rupií.", "en", "cs")  # no currency: asked elsewhere


@pytest.mark.parametrize(("name", "translation", "target"), [
    ("USD", "La société a payé 5 millions d'euros, selon des sources.", "fr"),  # "dollar des États-Unis"
    ("USD", "Spoločnosť zaplatila 5 miliónov eur americkému Boeingu.", "sk"),  # "americký dolár"
    ("RUB", "Gazprom dostal pokutu 20 miliard eur od ruského soudu.", "cs"),  # "ruský rubl"
    ("RUB", "Gazprom dostał karę 20 mld euro przez rosyjski sąd.", "pl"),
    ("USD", "Это сообщили США.", "ru"),  # "доллар США"
    ("AMD", "Arménských firem se to netýká.", "cs"),  # "arménský dram": no noun shared, so none
    ("BEL", "Belgický tým vyhrál.", "cs"),  # the Belgian franc's code, no currency today
])
def test_a_currency_name_s_adjectives_and_place_words_keep_nothing(name, translation, target):
    assert not currency_kept(name, translation, "en", target)


def test_a_rupee_amount_in_words_is_no_lost_name():
    source = "Digvijaya Singh has provided Rs 10,000 and assurance to look after the education of the two children."
    kept = "Дигвиджайа Сингх дал 10 000 рупий и пообещал обеспечить образование двум детям."
    assert check_translation(kept, source, "ru", "en")["missing_names"] == []
    swapped = "Дигвиджайа Сингх дал 10 000 долларов и пообещал обеспечить образование двум детям."
    assert check_translation(swapped, source, "ru", "en")["missing_names"] == ["Rs"]
