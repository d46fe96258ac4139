"""Text below the article level: wrapped lines, sentences, token-budget chunks (decoding lives in .encoding).

Chunks are cut at sentence boundaries so that a summariser never sees half a sentence, and
nothing is ever silently truncated: every word of the article reaches some chunk.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence

from ..budget import check
from .encoding import decode_bytes  # noqa: F401 - re-exported: readers and tests import it from here
from .profile import UNSPACED_CHARS, profile

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_LIST_ITEM = re.compile(r"(?:[-*•·+–—]|\d{1,3}[.)]|[a-z][.)])\s")
_ENDS_SENTENCE = re.compile(r"[.!?…:;][\"'”’»)\]]*$")


#: words that never end a heading or a sentence: a line ending in one was broken inside its sentence
_FUNCTION_WORDS = frozenset(re.findall(r"\S+",
    "the a an of to in on at by for with from and or but as that than "
    "nach bis von zu mit und oder der die das den dem des ein eine einen im am zum zur über für auf aus bei um "
    "de la le les du des et à au aux en un une pour par sur dans que qui "
    "el los las y del al con por para una il lo gli di da e che nel della per"
))


def unwrap(text: str) -> str:
    """Re-join hard-wrapped lines into paragraphs; headings, list items and other real lines stay apart.

    A `.txt` wrapped at 72 columns or an extraction with line breaks inside sentences would otherwise
    reach the sentence splitter as fragments ("…bis nach" / "Lissabon."), which a summary glues together.
    """
    out = []
    for paragraph in _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n")):
        check()
        lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
        if not lines:
            continue
        joined = [lines[0]]  # parts joined once at the end: adding to one string copies it, quadratic in time
        for prev, line, join in zip(lines[:-1], lines[1:], _joins(lines), strict=True):
            if not join:
                joined += ["\n", line]
            elif re.search(r"\w-$", prev):
                joined.append(line)  # a word split by a hyphen at the line end
            else:
                joined += [" ", line]
        out.append("".join(joined))
    return "\n\n".join(out)


def _joins(lines: list[str]) -> list[bool]:
    """For each break between two lines of one paragraph: is it a wrap inside running text?

    A wrap: the next line goes on in lower case, or the line stops at a comma or in a hyphenated word, or the
    block is wrapped at a fixed width (several breaks of the kinds above and lines filled up to that width).
    """
    width = max(len(line) for line in lines)
    pairs = list(zip(lines, lines[1:], strict=False))
    running = [not _ENDS_SENTENCE.search(a) and (b[0].islower() or a.endswith((",", "-"))) for a, b in pairs]
    wrapped = 40 <= width <= 110 and sum(running) * 3 >= len(pairs)
    joins = []
    for (a, b), cont in zip(pairs, running, strict=True):
        if _LIST_ITEM.match(b):
            joins.append(False)
        elif cont or (wrapped and len(a) + 1 + len(b.split()[0]) > 0.85 * width):
            joins.append(True)
        else:  # a long line stopped mid-sentence, e.g. an extraction that kept a <br> inside a sentence
            last = a.split()[-1]
            joins.append(not _ENDS_SENTENCE.search(a) and last[0].islower()
                         and (len(a) >= 80 or (len(a) >= 20 and last in _FUNCTION_WORDS)))
    return joins


def unaccent(word: str) -> str:
    """Lower case without accents: "Suède" -> "suede", "Straße" -> "strasse"."""
    text = "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))
    return text.replace("ß", "ss")


def split_sentences(text: str, language: str | None = None) -> list[str]:
    """Sentences of `text`, by the splitter the language's profile names: pysbd's rules for the 23 languages it
    has them for, sentencex (about 300 languages, each with its fallbacks: pt, tr, ko, vi, sv, cs, hr…) for the
    others; English rules when the language is not known.

    Blank lines always end a sentence (headings, captions and list items have no full stop), and so does
    every line break that `unwrap` would keep; a wrap inside a sentence does not.
    The pieces are cut from the original string, so apart from whitespace around sentences no
    character is lost or changed even where the splitter's own output would differ from its input.
    """
    lang = profile(language or "en").language or "en"  # "de_DE", "deu", "zh-Hant" -> the splitter's "de", "zh"
    segment = _segmenter(lang)
    sentences: list[str] = []
    for paragraph in (b for p in _PARAGRAPH_BREAK.split(text) for g in _line_groups(p) for b in _blocks(g)):
        check()
        if paragraph.strip():
            try:
                segments = segment(paragraph.replace("\n", " "))  # pysbd ends a sentence at "\n"
            except Exception:  # noqa: BLE001 - a splitter's bug on one odd paragraph must not fail the article
                segments = re.split(r"(?<=[.!?])\s+", paragraph)
            sentences.extend(_realign(paragraph, segments))
    return sentences


def _segmenter(lang: str) -> Callable[[str], Sequence[str]]:
    """The profile's splitter for `lang` as text -> sentences; a missing library is the article's one-line reason."""
    name = profile(lang).sentences
    try:
        if name == "sentencex":
            import sentencex

            return lambda paragraph: list(sentencex.segment(lang, paragraph))
        import pysbd
    except ImportError as exc:  # the summarizer records this as the article's one-line reason
        from ..libs import missing_library

        raise ImportError(missing_library(exc, "sentence splitting")) from None
    return pysbd.Segmenter(language=lang, clean=False).segment  # the profile names pysbd only for its languages


def _line_groups(paragraph: str) -> list[str]:
    """The paragraph cut at the line breaks that are real (see `unwrap`), as substrings of the original."""
    lines = paragraph.split("\n")
    kept = [i for i, line in enumerate(lines) if line.strip()]
    if len(kept) < 2:
        return [paragraph]
    joins = _joins([lines[i].strip() for i in kept])
    groups, start = [], 0
    for j, join in zip(kept[1:], joins, strict=True):
        if not join:
            groups.append("\n".join(lines[start:j]))
            start = j
    groups.append("\n".join(lines[start:]))
    return groups


_BLOCK = 5000
#: a full stop (with closing quotes) before a space, or one of the scripts written without spaces (Chinese,
#: Japanese: "。", "！", "？"), which needs none: else a Chinese page is one block, and quadratic
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*\s+|[。！？][」』”’)\]]*\s*")


def _blocks(paragraph: str) -> list[str]:
    """A long paragraph in pieces of about 5,000 characters, cut after a full stop: pysbd's time grows with the
    square of its input (2,000 sentences took 8 s, 19,000 would take 12 minutes)."""
    blocks = []
    while len(paragraph) > 2 * _BLOCK:
        end = _SENTENCE_END.search(paragraph, _BLOCK)
        if end is None:
            break
        blocks.append(paragraph[: end.end()])
        paragraph = paragraph[end.end() :]
    blocks.append(paragraph)
    return blocks


def _realign(paragraph: str, segments: Sequence[str]) -> list[str]:
    """Cut `paragraph` where pysbd cut it, counting non-space characters, so the result is exact."""
    pieces, pos, end = [], 0, len(paragraph)
    for segment in list(segments)[:-1]:
        need, start = sum(not ch.isspace() for ch in segment), pos
        while pos < end and need:
            need -= not paragraph[pos].isspace()
            pos += 1
        pieces.append(paragraph[start:pos])
    pieces.append(paragraph[pos:])
    joined: list[str] = []
    for piece in pieces:  # a closing quote pysbd cut off ('… of those."') belongs to its sentence, and a piece
        # that opens with a lower-case letter goes on the one before: no sentence of a cased script starts so, the
        # cut was after an ordinal or an abbreviation ("am 15. júlí", "z. B. die", '!“ sagði hann'); a brand
        # written in camel case ("iPhone", "eBay") does start one
        word = piece.split()[0] if piece.split() else ""
        if joined and (not any(ch.isalnum() for ch in piece) or word[:1].islower() and word.islower()):
            joined[-1] += piece
        else:
            joined.append(piece)
    return [piece.strip() for piece in joined if piece.strip()]


def pack_chunks(
    sentences: Sequence[str],
    counts: Sequence[int],
    limit: int,
    count: Callable[[list[str]], list[int]] | None = None,
) -> list[str]:
    """Join consecutive sentences (with one space) into chunks of at most `limit` tokens.

    `counts[i]` is the token count of `sentences[i]` from the model's tokenizer; the budget is the
    caller's business (prompt, special tokens). Greedy and O(n): a chunk is closed as soon as the
    next sentence would not fit. A sentence over the limit on its own is split at word boundaries
    into pieces that fit: measured with `count` when given (pieces still over are split again),
    else estimated in proportion to their length. Only a single "word" longer than the whole
    budget (a URL, a base64 blob) is cut inside; it is never dropped. `" ".join(chunks).split()`
    gives back the input words in order, apart from such cuts.
    """
    if len(sentences) != len(counts):
        raise ValueError(f"{len(sentences)} sentences but {len(counts)} token counts")
    if limit < 1:
        raise ValueError(f"chunk limit must be at least 1 token, got {limit}")
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for sentence, tokens in zip(sentences, counts, strict=True):
        sentence = sentence.strip()
        if not sentence:
            continue
        pieces = [(sentence, tokens)] if tokens <= limit else _split_long(sentence, tokens, limit, count)
        for piece, piece_tokens in pieces:
            if current and used + piece_tokens > limit:
                chunks.append(" ".join(current))
                current, used = [], 0
            current.append(piece)
            used += piece_tokens
    if current:
        chunks.append(" ".join(current))
    return chunks


def _split_long(
    sentence: str, tokens: int, limit: int, count: Callable[[list[str]], list[int]] | None
) -> list[tuple[str, int]]:
    """Pieces of one oversize sentence as (text, tokens), in order.

    With `count`, pieces are measured; if the estimate was low (special tokens, long words) the whole
    sentence is regrouped once with a corrected total, and pieces still over the limit are split again.
    """
    words = sentence.split()
    total = tokens
    for _ in range(2):
        groups, per_char = _group(words, total, limit)
        texts = [" ".join(group) for group in groups]
        estimates = [max(1, math.ceil(per_char * sum(len(w) + 1 for w in group))) for group in groups]
        if count is None:
            return list(zip(texts, estimates, strict=True))
        measured = count(texts)
        if max(measured) <= limit:
            return list(zip(texts, measured, strict=True))
        total = math.ceil(total * max(1.02, max(n / e for n, e in zip(measured, estimates, strict=True))))
    pieces: list[tuple[str, int]] = []
    for group, text, n in zip(groups, texts, measured, strict=True):
        # recurse only on strictly smaller pieces, so a strange tokenizer cannot make this loop forever
        if limit < n < tokens and (len(group) > 1 or len(group[0]) > 1):
            pieces.extend(_split_long(text, n, limit, count))
        else:
            pieces.append((text, n))
    return pieces


def _group(words: list[str], total: int, limit: int) -> tuple[list[list[str]], float]:
    """Greedy runs of words whose estimated tokens (`total` spread by length) fit; over-long words are cut."""
    per_char = total / sum(len(w) + 1 for w in words)
    units: list[str] = []
    for word in words:
        if (len(word) + 1) * per_char > limit:
            size = max(1, int(limit / per_char) - 1)
            units.extend(word[i : i + size] for i in range(0, len(word), size))
        else:
            units.append(word)
    groups: list[list[str]] = []
    current: list[str] = []
    used = 0.0
    for unit in units:
        cost = (len(unit) + 1) * per_char
        if current and used + cost > limit:
            groups.append(current)
            current, used = [], 0.0
        current.append(unit)
        used += cost
    groups.append(current)
    if len(groups) == 1 and len(units) > 1:  # rounding kept it whole although it is too long: halve
        groups = [units[: len(units) // 2], units[len(units) // 2 :]]
    return groups, per_char


#: scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar): each character is a length
#: unit there, as a word is elsewhere (85 "words" of summary are 85 characters of Chinese, about 55 English words)
_UNSPACED = UNSPACED_CHARS
_UNIT = re.compile(f"[{_UNSPACED}]|[^\\s{_UNSPACED}]+")
_UNSPACED_RUN = re.compile(f"[{_UNSPACED}]+")


def length_units(text: str) -> int:
    """Length of `text` in the unit that fits its script: words where words are space-separated, characters in
    scripts that have no spaces between words (a Japanese article is not one "word" per sentence)."""
    return len(_UNIT.findall(text))


def terms(word: str) -> list[str]:
    """Index terms of one word-like run: itself, or the character bigrams of runs in unspaced scripts (a Chinese
    sentence is one run of letters; its bigrams are what two sentences about the same thing share)."""
    if not _UNSPACED_RUN.search(word):
        return [word]
    out: list[str] = []
    for piece in re.split(f"([{_UNSPACED}]+)", word):
        if _UNSPACED_RUN.fullmatch(piece):
            out += [piece[i:i + 2] for i in range(max(1, len(piece) - 1))]
        elif piece:
            out.append(piece)
    return out
