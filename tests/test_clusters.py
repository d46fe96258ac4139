"""Story clusters: copies of one story (lightly edited) share a cluster, different stories never do."""

from __future__ import annotations

import random

import pytest

from digest.output.clusters import cluster_ids, shingles

STORY = (
    "Dock workers in the port of Hamburg ended a week-long strike on Friday after the union and the port "
    "operators agreed on a new wage deal. The agreement raises pay by 6.5 percent over two years and adds a "
    "bonus for night shifts, union leader Maria Keller told reporters outside the terminal. Container ships "
    "that had waited at anchor in the Elbe began to berth on Friday afternoon, and the operators said the "
    "backlog would be cleared within ten days. Retailers had warned that the strike threatened deliveries "
    "before the holiday season. The port handles about a third of Germany's container traffic."
)
#: the same wire story as another outlet ran it: new first words, a changed number style, a dropped clause
EDITED = (
    "HAMBURG (Reuters) - Dock workers in the port of Hamburg ended a week-long strike on Friday after the union "
    "and the port operators agreed on a new wage deal. The agreement raises pay by 6.5% over two years and adds "
    "a bonus for night shifts, union leader Maria Keller told reporters outside the terminal. Container ships "
    "that had waited at anchor in the Elbe began to berth on Friday afternoon, and the operators said the "
    "backlog would be cleared within ten days. Retailers had warned that the strike threatened deliveries. "
    "The port handles about a third of Germany's container traffic."
)
#: same place, same topic, a different story
OTHER = (
    "The port of Hamburg will build a new rail terminal to move more containers off the roads, the city "
    "senate said on Tuesday. The project costs 400 million euros and should open in 2029. Operators said "
    "the terminal would take up to 2,000 trucks a day off the motorway, while residents in Wilhelmsburg "
    "worry about noise from night trains. The port handles about a third of Germany's container traffic."
)


def test_a_lightly_edited_copy_joins_its_story_and_a_different_story_does_not():
    ids = cluster_ids([("reuters-1", EDITED), ("dpa-7", STORY), ("senate", OTHER)])
    assert ids["reuters-1"] == ids["dpa-7"] == "dpa-7"  # the smallest id names the cluster
    assert ids["senate"] == "senate"


def test_clusters_join_transitively_and_the_threshold_is_honoured():
    third = EDITED.replace("Retailers had warned", "Shops had warned").replace("ten days", "two weeks")
    ids = cluster_ids([("c", third), ("a", STORY), ("b", EDITED)])
    assert set(ids.values()) == {"a"}
    strict = cluster_ids([("a", STORY), ("b", EDITED)], threshold=0.99)
    assert strict == {"a": "a", "b": "b"}


def test_empty_and_short_texts_and_bad_thresholds():
    assert cluster_ids([("x", ""), ("y", "")]) == {"x": "x", "y": "y"}  # nothing to compare is no evidence
    assert shingles("One two") == {b"one two"}
    with pytest.raises(ValueError, match="threshold"):
        cluster_ids([("a", STORY)], threshold=0)


def test_many_unrelated_articles_stay_apart_and_copies_are_found():
    rng = random.Random(7)
    words = STORY.split() + OTHER.split()
    texts = [(f"n{i:04d}", " ".join(rng.choice(words) for _ in range(80))) for i in range(400)]
    texts.append(("copy", texts[123][1] + " Updated."))
    ids = cluster_ids(texts)
    assert ids["copy"] == ids["n0123"] == "copy"
    assert len(set(ids.values())) == 400
