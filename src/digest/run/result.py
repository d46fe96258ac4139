"""What a run did, as the API returns it: the records written and one manifest entry per article."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EXIT_FAILED, EXIT_INTERNAL, EXIT_OK
from ..records import ArticleRecord, ManifestEntry


@dataclass
class RunResult:
    """What a run did: the records it wrote and one manifest entry per article."""

    out_dir: Path
    records: list[ArticleRecord] = field(default_factory=list)
    entries: list[ManifestEntry] = field(default_factory=list)
    seconds: float = 0.0
    #: run-wide internal errors, one line each: a page or feed not rendered (rendered again next run), clustering off
    incidents: list[str] = field(default_factory=list)

    @property
    def digests(self) -> list[dict]:
        """The records written, as their JSON."""
        return [record.to_json() for record in self.records]

    @property
    def manifest(self) -> list[dict]:
        """The manifest entries, as the JSON lines of OUT/manifest.jsonl."""
        return [entry.to_json() for entry in self.entries]

    @property
    def counts(self) -> dict[str, int]:
        """ok, failed (this run), skipped, and unchanged: failed before with the same input and settings, not
        retried and not counted as failed again."""
        counts = {"ok": 0, "failed": 0, "skipped": 0, "unchanged": 0}
        for entry in self.entries:
            status = "unchanged" if entry.unchanged else entry.status
            counts[status] = counts.get(status, 0) + 1
        return counts

    @property
    def internal_errors(self) -> int:
        """Articles and pages a bug in digest failed in this run (each said in one line, its traceback logged)."""
        return sum(1 for entry in self.entries if entry.internal and not entry.unchanged) + len(self.incidents)

    @property
    def exit_code(self) -> int:
        """0 when every article is ok, up to date or failing unchanged (reported once already), 1 when some
        failed in this run, 4 when a bug in digest failed an article or a page (the rest is written)."""
        if self.internal_errors:
            return EXIT_INTERNAL
        return EXIT_FAILED if self.counts["failed"] else EXIT_OK

    @property
    def flags(self) -> int:
        """Faithfulness flags raised on this run's articles (hints for an editor, not failures)."""
        return sum(entry.flags or 0 for entry in self.entries)

    def summary_line(self) -> str:
        c = self.counts
        flagged = sum(1 for entry in self.entries if entry.flags)
        still = f"{c['unchanged']} still failing, unchanged, " if c["unchanged"] else ""
        return (f"{c['ok']} ok, {c['failed']} failed, {c['skipped']} skipped, {still}{self.flags} flags on {flagged} "
                f"article{'' if flagged == 1 else 's'} in {self.seconds:.1f} s → {self.out_dir}")
