"""Story clusters: the same wire story from several outlets, lightly edited, found with MinHash LSH.

Word shingles of each text go into a MinHash signature; datasketch's LSH index returns candidate pairs in
about constant time per article, so 100,000 articles need no pairwise comparison. Candidates are confirmed by
their estimated Jaccard similarity and joined transitively (union-find).
"""

from __future__ import annotations

import functools
import hashlib
import re
import zlib
from collections.abc import Iterable

#: words per shingle: 3 survives light edits (a changed word spoils 3 shingles, not the story)
SHINGLE = 3
NUM_PERM = 128
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """Lower-cased word n-grams of `text` (a text shorter than `size` words is one shingle)."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def cluster_ids(texts: Iterable[tuple[str, str]], threshold: float = 0.7, *, num_perm: int = NUM_PERM,
                size: int = SHINGLE) -> dict[str, str]:
    """{article id: cluster id} for (id, text) pairs; a cluster's id is its smallest article id.

    `threshold` is the Jaccard similarity of word shingles above which two texts are one story. An article
    like no other is its own cluster. Empty texts never join anything.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"cluster threshold must be above 0 and at most 1, not {threshold!r}")
    from datasketch import MinHash, MinHashLSH

    # the index only proposes candidates (its banding needs a threshold below ~0.95); the estimate decides
    lsh = MinHashLSH(threshold=min(threshold, 0.9), num_perm=num_perm)
    signatures: dict[str, MinHash] = {}
    parent: dict[str, str] = {}
    # one set of permutations for all (making them is most of a MinHash's cost); crc32 is a fast, stable hash
    base = MinHash(num_perm=num_perm, seed=1)
    for article_id, text in texts:
        parent[article_id] = article_id
        grams = shingles(text, size)
        if not grams or article_id in signatures:
            continue
        sig = MinHash(num_perm=num_perm, seed=1, hashfunc=zlib.crc32, permutations=base.permutations,
                      scheme=base.scheme)
        sig.update_batch(list(grams))
        signatures[article_id] = sig
        lsh.insert(article_id, sig)

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for article_id, sig in signatures.items():
        for other in lsh.query(sig):
            if other != article_id and sig.jaccard(signatures[other]) >= threshold:
                a, b = root(article_id), root(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    return {article_id: root(article_id) for article_id in parent}


@functools.lru_cache(maxsize=8)
def _bands(threshold: float, num_perm: int) -> tuple[int, int, object]:
    """(bands, rows per band, shared permutations) of the LSH index `cluster_ids` builds for `threshold`."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=min(threshold, 0.9), num_perm=num_perm)
    return lsh.b, lsh.r, MinHash(num_perm=num_perm, seed=1)


def band_keys(text: str, threshold: float, *, num_perm: int = NUM_PERM, size: int = SHINGLE) -> list[str]:
    """The LSH band keys of `text`: two texts whose shingle Jaccard reaches `threshold` share one with the
    probability `cluster_ids` relies on, so a stored index of these keys finds an earlier copy of a story."""
    from datasketch import MinHash

    grams = shingles(text, size)
    if not grams:
        return []
    bands, rows, base = _bands(threshold, num_perm)
    sig = MinHash(num_perm=num_perm, seed=1, hashfunc=zlib.crc32, permutations=base.permutations,  # type: ignore[attr-defined]
                  scheme=base.scheme)  # type: ignore[attr-defined]
    sig.update_batch(list(grams))
    values = sig.hashvalues
    return [f"{i}:{hashlib.sha1(values[i * rows:(i + 1) * rows].tobytes()).hexdigest()[:16]}" for i in range(bands)]


def jaccard(a: str, b: str, size: int = SHINGLE) -> float:
    """The word-shingle Jaccard similarity of two texts (what `threshold` is a bound on)."""
    x, y = shingles(a, size), shingles(b, size)
    return len(x & y) / len(x | y) if x and y else 0.0
