"""OUT/stories: which stored articles carry which story evidence, so a later run finds its story without reading OUT.

An inverted index from keys (MinHash band keys of an article's text, `b:…`; rare words, numbers and names of its
shared-language summary, `t:…`) to the ids of the articles that have them, in 4096 small shards named by the
key's hash: a run reads only the shards of the keys its own articles have, so a run of ten articles reads a few
hundred small files whatever OUT holds. Each key keeps its newest `KEEP` ids: copies of a story arrive within
days, and a key that thousands of articles share is no evidence of one story anyway.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from ..safeio import OutDir

DIR = "stories"
KEEP = 32
_SHARD_HEX = 3


class StoryIndex:
    """Read the postings of some keys, add new ones, write back only the shards that changed."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root) / DIR
        #: every read and write below OUT, never through a link
        self.fs = OutDir(root)
        self._shards: dict[str, dict[str, list[str]]] = {}
        self._dirty: set[str] = set()

    @staticmethod
    def _shard_of(key: str) -> str:
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:_SHARD_HEX]

    def _shard(self, name: str) -> dict[str, list[str]]:
        if name not in self._shards:
            try:
                data = json.loads(self.fs.read_text(f"{DIR}/{name}.json"))
            except (OSError, ValueError):
                data = {}
            self._shards[name] = data if isinstance(data, dict) else {}
        return self._shards[name]

    def lookup(self, key: str) -> list[str]:
        """The ids of stored articles that have `key`, oldest first."""
        ids = self._shard(self._shard_of(key)).get(key)
        return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []

    def add(self, article_id: str, keys: Iterable[str]) -> None:
        """Note that `article_id` has each of `keys` (kept in memory until `write`)."""
        for key in set(keys):
            name = self._shard_of(key)
            postings = self._shard(name).setdefault(key, [])
            if article_id in postings:
                continue
            postings.append(article_id)
            del postings[:-KEEP]
            self._dirty.add(name)

    def exists(self) -> bool:
        """Whether OUT has a story index (else the articles it holds were stored before it, or none are)."""
        return self.root.is_dir() and not self.root.is_symlink()

    def write(self, create: bool = False) -> None:
        """Write the shards that changed (each atomically); `create`: make the folder even when none did, so an
        OUT whose records are all indexed says so."""
        if create:
            with self.fs.folder(DIR):
                pass
        for name in sorted(self._dirty):
            self.fs.write(f"{DIR}/{name}.json", json.dumps(self._shards[name], ensure_ascii=False, sort_keys=True)
                          + "\n", sync=False)
        self._dirty.clear()
