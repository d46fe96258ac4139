"""Stories an editor holds back: OUT/holds.json, the ids kept off every reader page and feed until released.

The file is small and written atomically; pages read it when they are rendered, so a hold survives every run.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..safeio import OutDir

NAME = "holds.json"


def read_holds(root: Path) -> set[str]:
    """The held ids in OUT (none when the file is absent or damaged: a page then shows everything it has)."""
    try:
        data = json.loads(OutDir(root).read_text(NAME))
    except (OSError, ValueError):
        return set()
    held = data.get("held") if isinstance(data, dict) else None
    return {str(i) for i in held} if isinstance(held, list) else set()


def write_holds(root: Path, held: set[str]) -> None:
    OutDir(root).write(NAME, json.dumps({"held": sorted(held)}, ensure_ascii=False, indent=1) + "\n")
