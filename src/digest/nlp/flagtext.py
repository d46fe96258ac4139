"""Review flags as short lines in the editor's language of the page ("Zahl 2.000 → 20.000").

English for languages without their own wording here; language names come from CLDR (Babel) in the page's
language, so "output looks like English" reads "Ausgabe scheint Englisch zu sein" on the German page.
"""

from __future__ import annotations

from .language import cldr_locale, normalize

_EN = {
    "unsupported_numbers": "number not in the source: {}",
    "unsupported_names": "name not in the source: {}",
    "unsupported_quotes": "quote not in the source: {}",
    "number_changed": "number {} → {}",
    "number_missing": "number lost in translation: {}",
    "number_added": "number not in the summary: {}",
    "missing_names": "name lost in translation: {}",
    "missing_sentences": "sentence lost in translation: {}",
    "glossary_missing": "glossary term missing: {}",
    "wrong_language": "output looks like {}, not {}",
    "repetition": "the model repeated itself; the repeats were cut",
}
MESSAGES: dict[str, dict[str, str]] = {
    "en": _EN,
    "de": {
        "unsupported_numbers": "Zahl nicht in der Quelle: {}",
        "unsupported_names": "Name nicht in der Quelle: {}",
        "unsupported_quotes": "Zitat nicht in der Quelle: {}",
        "number_changed": "Zahl {} → {}",
        "number_missing": "Zahl in der Übersetzung verloren: {}",
        "number_added": "Zahl nicht in der Zusammenfassung: {}",
        "missing_names": "Name in der Übersetzung verloren: {}",
        "missing_sentences": "Satz in der Übersetzung verloren: {}",
        "glossary_missing": "Glossarbegriff fehlt: {}",
        "wrong_language": "Ausgabe scheint {} zu sein, nicht {}",
        "repetition": "das Modell hat sich wiederholt; die Wiederholungen wurden gekürzt",
    },
    "fr": {
        "unsupported_numbers": "nombre absent de la source : {}",
        "unsupported_names": "nom absent de la source : {}",
        "unsupported_quotes": "citation absente de la source : {}",
        "number_changed": "nombre {} → {}",
        "number_missing": "nombre perdu dans la traduction : {}",
        "number_added": "nombre absent du résumé : {}",
        "missing_names": "nom perdu dans la traduction : {}",
        "missing_sentences": "phrase perdue dans la traduction : {}",
        "glossary_missing": "terme du glossaire manquant : {}",
        "wrong_language": "le texte semble être en {}, pas en {}",
        "repetition": "le modèle s'est répété ; les répétitions ont été coupées",
    },
    "es": {
        "unsupported_numbers": "número que no está en la fuente: {}",
        "unsupported_names": "nombre que no está en la fuente: {}",
        "unsupported_quotes": "cita que no está en la fuente: {}",
        "number_changed": "número {} → {}",
        "number_missing": "número perdido en la traducción: {}",
        "number_added": "número que no está en el resumen: {}",
        "missing_names": "nombre perdido en la traducción: {}",
        "missing_sentences": "frase perdida en la traducción: {}",
        "glossary_missing": "falta un término del glosario: {}",
        "wrong_language": "el texto parece estar en {}, no en {}",
        "repetition": "el modelo se repitió; se cortaron las repeticiones",
    },
    "it": {
        "unsupported_numbers": "numero assente nella fonte: {}",
        "unsupported_names": "nome assente nella fonte: {}",
        "unsupported_quotes": "citazione assente nella fonte: {}",
        "number_changed": "numero {} → {}",
        "number_missing": "numero perso nella traduzione: {}",
        "number_added": "numero assente nel riassunto: {}",
        "missing_names": "nome perso nella traduzione: {}",
        "missing_sentences": "frase persa nella traduzione: {}",
        "glossary_missing": "termine del glossario mancante: {}",
        "wrong_language": "il testo sembra in {}, non in {}",
        "repetition": "il modello si è ripetuto; le ripetizioni sono state tagliate",
    },
}


def message(page_lang: str, key: str, *items: str) -> str:
    """One flag line in the page's language (English where there is no wording for it)."""
    return MESSAGES.get(normalize(page_lang or "en"), _EN)[key].format(*items)


def language_name(code: str | None, page_lang: str) -> str:
    """A language's name in the page's language ("Englisch" on a German page); the code when CLDR lacks it."""
    if not code:
        return "?"
    locale = cldr_locale(normalize(page_lang or "en"))
    return locale.languages.get(normalize(code), code) if locale else code
