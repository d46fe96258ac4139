"""Glossary: names and terms that must come out of machine translation exactly as the newsroom wants them.

MT models happily "translate" surnames ("Milley" -> "Milly") or render an institution five different ways. Before
translation each term is swapped for a placeholder the model copies through; afterwards the placeholder becomes
the kept term or its fixed translation.

Placeholder choice: ``ZXQ1``, ``ZXQ2``, … — upper-case letters plus digits. Sentencepiece MT models (Marian,
M2M100, NLLB) split such a token into rare pieces they have learned to copy verbatim, like codes and model numbers;
digits in particular are copied faithfully. Markup-like tokens (``<x1>``, ``__T1__``) are often mangled or dropped,
and real words get translated. `restore` tolerates the damage that does happen: spaces inside ("ZXQ 1"), case
("Zxq1"), and stray spaces around it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .language import NLLB_CODES, normalize

_PREFIXES = ("ZXQ", "QXZ", "XQZ")  # the first one absent from the text is used


@dataclass(frozen=True)
class Glossary:
    """Terms kept as they are (`keep`) and terms with a fixed translation per language (`translate`)."""

    keep: tuple[str, ...] = ()
    translate: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping | None) -> Glossary:
        """Build from the config's `glossary:` mapping (or None); a ValueError names the offending key."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise ValueError(f"glossary: expected a mapping with 'keep' and/or 'translate', got {_kind(data)}")
        unknown = set(data) - {"keep", "translate"}
        if unknown:
            raise ValueError(f"glossary.{sorted(map(str, unknown))[0]}: unknown key (expected 'keep', 'translate')")
        keep = data.get("keep") or []
        if isinstance(keep, str) or not isinstance(keep, (list, tuple)):
            raise ValueError(f"glossary.keep: expected a list of terms, got {_kind(keep)}")
        for i, term in enumerate(keep):
            if not isinstance(term, str) or not term.strip():
                raise ValueError(f"glossary.keep[{i}]: expected a non-empty string, got {term!r}")
        translate = data.get("translate") or {}
        if not isinstance(translate, Mapping):
            raise ValueError(f"glossary.translate: expected a mapping term -> {{lang: text}}, got {_kind(translate)}")
        fixed: dict[str, dict[str, str]] = {}
        for term, targets in translate.items():
            if not isinstance(term, str) or not term.strip():
                raise ValueError(f"glossary.translate: term {term!r} must be a non-empty string")
            if not isinstance(targets, Mapping):
                raise ValueError(f"glossary.translate.{term}: expected a mapping lang -> text, got {_kind(targets)}")
            fixed[term] = {}
            for lang, text in targets.items():
                if not isinstance(lang, str) or normalize(lang) not in NLLB_CODES:
                    raise ValueError(f"glossary.translate.{term}.{lang}: not a language code")
                if not isinstance(text, str) or not text.strip():
                    raise ValueError(f"glossary.translate.{term}.{lang}: expected a non-empty string, got {text!r}")
                fixed[term][normalize(lang)] = text.strip()
        return cls(keep=tuple(t.strip() for t in keep), translate=fixed)

    def terms_for(self, target: str) -> dict[str, str]:
        """Source term -> required output form in `target`, for every term that applies to that language."""
        target = normalize(target)
        out = {term: term for term in self.keep}
        for term, targets in self.translate.items():
            form = targets.get(target)
            if form:
                out[term] = form
        return out

    def protect(self, text: str, target: str) -> tuple[str, dict[str, str]]:
        """Swap every applicable term (whole word, case-sensitive, longest first) for a placeholder.

        Returns the protected text and placeholder -> output form, to hand to `restore` after translation.
        """
        prefix = next((p for p in _PREFIXES if p.lower() not in text.lower()), _PREFIXES[0] + "Q")
        mapping: dict[str, str] = {}
        for term, form in sorted(self.terms_for(target).items(), key=lambda kv: -len(kv[0])):
            pattern = _term_pattern(term)
            if pattern.search(text):
                placeholder = f"{prefix}{len(mapping) + 1}"
                text = pattern.sub(placeholder, text)
                mapping[placeholder] = form
        return text, mapping

    def restore(self, text: str, mapping: Mapping[str, str]) -> str:
        """Put the output forms back, tolerating spaces and case changes the model made in a placeholder."""
        for placeholder, form in sorted(mapping.items(), key=lambda kv: -len(kv[0])):
            loose = r"\s?".join(re.escape(ch) for ch in placeholder)
            pattern = re.compile(rf"([ \t]*){loose}(?!\d)([ \t]*)([,.]?)", re.IGNORECASE)
            text = pattern.sub(functools.partial(_respace, form=form), text)
        return text

    def verify(self, source_text: str, output: str, target: str) -> list[str]:
        """Terms present in `source_text` whose required form is missing from `output` (up to 3 letters of
        inflection per word allowed)."""
        missing = []
        for term, form in self.terms_for(target).items():
            inflected = r"\w{0,3}\s+".join(re.escape(w) for w in form.split())  # "Vereinigten Stabschefs"
            if _term_pattern(term).search(source_text) and not re.search(rf"(?<!\w){inflected}\w{{0,3}}(?!\w)", output):
                missing.append(term)
        return missing


def _term_pattern(term: str) -> re.Pattern[str]:
    """Whole-word, case-sensitive; any whitespace between the words of a multi-word term."""
    body = r"\s+".join(re.escape(w) for w in term.split())
    return re.compile(rf"(?<!\w){body}(?!\w)")


def _respace(match: re.Match[str], form: str) -> str:
    """One space where the model put any (it may add several); none before a comma or full stop."""
    left = " " if match.group(1) else ""
    right = "" if match.group(3) or not match.group(2) else " "
    return f"{left}{form}{right}{match.group(3)}"


def _kind(value: object) -> str:
    return type(value).__name__ if value is not None else "nothing"
