"""Article records as the pipeline writes them, carrying the newsroom fields (titles, site, url, date, author,
cluster), from four outlets and one wire copy; shared by the page, feed, edition and browser tests."""

from __future__ import annotations

LONG_TOKEN = "https://example.org/" + "a" * 180  # an unbroken token longer than any phone is wide


def records() -> list[dict]:
    return [
        {"id": "zeit.albtraum", "title": "Der Albtraum der Bahn", "language": "de",
         "titles": {"en": "The railway's nightmare", "fr": "Le cauchemar du rail"},
         "source": "/tmp/in/zeit.de.albtraum.html", "site": "ZEIT ONLINE",
         "summaries": {"de": "Die Bahn kämpft mit Verspätungen.", "en": "The railway struggles with delays."},
         "meta": {"format": "html", "url": "https://www.zeit.de/mobilitaet/albtraum", "date": "2026-11-25",
                  "author": "Anna Weber"},
         "created": "2026-11-27T08:00:00+00:00"},
        {"id": "guardian.storm", "title": "Storm closes ports along the coast", "language": "en",
         "titles": {"de": "Sturm schließt Häfen an der Küste", "fr": "Une tempête ferme les ports de la côte"},
         "source": "/tmp/in/guardian.storm.html", "cluster": "guardian.storm",
         "summaries": {"en": "A storm closed ports.", "de": "Ein Sturm schloss Häfen.",
                       "fr": "Une tempête a fermé des ports."},
         "flags": {"de": ["number not in the source: 12"]},
         "meta": {"format": "html", "sitename": "The Guardian", "url": "https://www.theguardian.com/world/storm",
                  "date": "2026-11-27T09:30:00+00:00", "author": "Sam Jones"},
         "created": "2026-11-27T10:00:00+00:00"},
        {"id": "wire.storm", "title": "Storm shuts coastal ports", "language": "en",
         "source": "/tmp/in/wire.storm.json", "cluster": "guardian.storm",
         "summaries": {"en": "A storm shut ports.", "de": "Ein Sturm schloss Häfen."},
         "meta": {"format": "json", "url": "https://apnews.com/article/storm", "date": "2026-11-27T07:00:00Z"},
         "created": "2026-11-27T10:00:00+00:00"},
        {"id": "phys.org.tool", "title": "Crows make tools from " + LONG_TOKEN, "language": "en",
         "titles": {"fr": "Les corbeaux fabriquent des outils"},
         "source": "/tmp/in/phys.org.tool.html",
         "summaries": {"en": "Crows were seen making hooked tools " + LONG_TOKEN + " in the wild.",
                       "fr": "Des corbeaux fabriquent des outils."},
         "errors": ["translate de: the model failed"],
         "meta": {"format": "html", "url": "https://phys.org/news/2026-11-crows.html", "date": "2026-11-26"},
         "created": "2026-11-27T08:00:00+00:00"},
        {"id": "franceculture.climat", "title": "Le climat en question", "language": "fr",
         "source": "/tmp/in/franceculture.climat.txt",
         "summaries": {"fr": "Un débat sur le climat.", "de": "Eine Debatte über das Klima."},
         "meta": {"format": "txt"}, "created": "2026-11-27T18:00:00+00:00"},
    ]
