"""The fixed words of a digest page in the page's language, and dates and language names by Babel (CLDR).

A German reader gets a German page: heading, labels, "27. November 2026". Languages without labels here fall
back to English words, but dates and language names still come from CLDR in the page's language.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..nlp.language import cldr_locale

if TYPE_CHECKING:
    from babel import Locale

#: {lang: {key: text}}; {n}, {date}, {author}, {language}, {original} are filled in
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "heading": "News digest", "edition": "Edition of {date}", "week": "Week of {date}", "all": "All stories",
        "one": "{n} story", "many": "{n} stories", "by": "by {author}", "also": "Also reported by",
        "untranslated": "Not available in {language}; shown in the original {original}.", "check": "Check",
        "editions": "Editions", "latest": "Latest edition", "feed": "Atom feed", "read": "Read the article",
        "empty": "No stories in this edition.", "languages": "Languages", "other": "More stories",
    },
    "de": {
        "heading": "Nachrichtenüberblick", "edition": "Ausgabe vom {date}", "week": "Woche vom {date}",
        "all": "Alle Meldungen", "one": "{n} Meldung", "many": "{n} Meldungen", "by": "von {author}",
        "also": "Auch berichtet von", "untranslated": "Nicht auf {language} verfügbar; hier auf {original}.",
        "check": "Prüfen", "editions": "Ausgaben", "latest": "Neueste Ausgabe", "feed": "Atom-Feed",
        "read": "Zum Artikel", "empty": "Keine Meldungen in dieser Ausgabe.", "languages": "Sprachen",
        "other": "Weitere Meldungen",
    },
    "fr": {
        "heading": "Revue de presse", "edition": "Édition du {date}", "week": "Semaine du {date}",
        "all": "Tous les articles", "one": "{n} article", "many": "{n} articles", "by": "par {author}",
        "also": "Également chez", "untranslated": "Non disponible en {language} ; affiché en {original}.",
        "check": "À vérifier", "editions": "Éditions", "latest": "Dernière édition", "feed": "Flux Atom",
        "read": "Lire l’article", "empty": "Aucun article dans cette édition.", "languages": "Langues",
        "other": "Autres articles",
    },
    "es": {
        "heading": "Resumen de noticias", "edition": "Edición del {date}", "week": "Semana del {date}",
        "all": "Todas las noticias", "one": "{n} noticia", "many": "{n} noticias", "by": "por {author}",
        "also": "También en", "untranslated": "No disponible en {language}; se muestra en {original}.",
        "check": "Revisar", "editions": "Ediciones", "latest": "Última edición", "feed": "Canal Atom",
        "read": "Leer el artículo", "empty": "No hay noticias en esta edición.", "languages": "Idiomas",
        "other": "Más noticias",
    },
    "it": {
        "heading": "Rassegna stampa", "edition": "Edizione del {date}", "week": "Settimana del {date}",
        "all": "Tutte le notizie", "one": "{n} notizia", "many": "{n} notizie", "by": "di {author}",
        "also": "Anche su", "untranslated": "Non disponibile in {language}; mostrato in {original}.",
        "check": "Da verificare", "editions": "Edizioni", "latest": "Ultima edizione", "feed": "Feed Atom",
        "read": "Leggi l’articolo", "empty": "Nessuna notizia in questa edizione.", "languages": "Lingue",
        "other": "Altre notizie",
    },
}


def base(lang: str) -> str:
    """`pt-br` → `pt`: the labels and the CLDR data are looked up by the language part first."""
    return lang.replace("_", "-").split("-")[0].lower()


def label(lang: str, key: str, **values: object) -> str:
    """One fixed text of the page in `lang` (English when the language has no labels here)."""
    return LABELS.get(base(lang), LABELS["en"])[key].format(**values)


def count(lang: str, n: int) -> str:
    return label(lang, "one" if n == 1 else "many", n=n)


def _locale(lang: str) -> Locale:
    found = cldr_locale(lang.replace("-", "_")) or cldr_locale(base(lang)) or cldr_locale("en")
    assert found is not None, "Babel always has English"
    return found


def direction(lang: str) -> str:
    """"rtl" for languages CLDR writes right to left (Arabic, Hebrew, Persian, Urdu…), else "ltr": the page's
    `dir`, so an Arabic digest does not read left to right."""
    found = cldr_locale(lang.replace("-", "_")) or cldr_locale(base(lang))
    return "rtl" if found is not None and found.character_order == "right-to-left" else "ltr"


def format_day(day: date, lang: str, form: str = "long") -> str:
    """A date as the language writes it: `27. November 2026`, `27 novembre 2026`."""
    from babel.dates import format_date

    return format_date(day, form, locale=_locale(lang))


def language_name(code: str, lang: str) -> str:
    """The name of language `code` in language `lang` (`en` in German: `Englisch`), else the code itself."""
    return _locale(lang).languages.get(code.replace("-", "_")) or _locale(lang).languages.get(base(code)) or code
