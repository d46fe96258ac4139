"""Which models a config needs: for `digest models list` and `pull`, worked out from the routes a run would take.

Here, not in engines/hub.py, because it is about the run (the summarizer and the Translator's routing), while the
hub module only knows models by id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..config import Config
from ..engines.hub import ModelRef
from .translator import Hop, candidate_routes


@dataclass
class _Entry:
    id: str
    revision: str | None
    summarizer: bool = False
    pairs: list[str] = field(default_factory=list)
    explicit: bool = False
    fallback: list[ModelRef] = field(default_factory=list)

    def ref(self) -> ModelRef:
        parts = ["summarizer"] if self.summarizer else []
        if self.pairs:
            parts.append("translation " + ", ".join(self.pairs))
        return ModelRef(self.id, self.revision, "; ".join(parts), self.explicit, tuple(self.fallback))


def required_models(config: Config, sources: Sequence[str] = ("en",)) -> list[ModelRef]:
    """Every model a run with `config` on articles in `sources` loads first, each listed once.

    The summarizer (none for "extractive"), and per source and target the first candidate route of the
    Translator: an override or the multilingual model, else the pattern pair, else the pivot route.  Honest
    caveat: a pattern-derived pair (opus-mt-fr-de) may not exist on the hub; the run then falls back to the
    pivot route (fr→en→de).  Such a ref carries those hops in `fallback`, and `pull_all` fetches them when
    the direct pair turns out not to exist.  A pair with no route at all needs no model here; the run
    reports it per article.
    """
    entries: dict[tuple[str, str | None], _Entry] = {}

    def entry(model: str, revision: str | None) -> _Entry:
        return entries.setdefault((model, revision), _Entry(model, revision))

    if config.summarizer.model.partition(":")[0] != "extractive":
        first = entry(config.summarizer.model, config.summarizer.revision)
        first.summarizer = first.explicit = True

    def label(hop: Hop, src: str, tgt: str) -> str:
        pair = f"{hop.src}→{hop.tgt}"
        return pair if (hop.src, hop.tgt) == (src, tgt) else f"{pair} (for {src}→{tgt})"

    for src in dict.fromkeys(sources):
        for tgt in config.targets:
            routes = candidate_routes(config.translation, src, tgt)
            if not routes or not routes[0]:
                continue
            first_route, rest = routes[0], routes[1:]
            for hop in first_route:
                item = entry(hop.model, hop.revision)
                pair = label(hop, src, tgt)
                if pair not in item.pairs:
                    item.pairs.append(pair)
                item.explicit = item.explicit or hop.explicit
                if hop.explicit or not rest:
                    continue
                for alt in rest[0]:
                    ref = ModelRef(alt.model, alt.revision, f"translation {label(alt, src, tgt)}", alt.explicit)
                    if ref not in item.fallback:
                        item.fallback.append(ref)
    return [item.ref() for item in entries.values()]


def fallback_models(refs: Sequence[ModelRef]) -> dict[str, ModelRef]:
    """The pivot-route models that `refs` fall back to and that are not listed themselves, by name."""
    listed = {ref.describe() for ref in refs}
    return {f.describe(): f for ref in refs for f in ref.fallback if f.describe() not in listed}

