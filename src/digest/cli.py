"""The `digest` command: a thin click shell over the library (parse options → config → call → exit code).

Exit codes: 0 all articles ok (or failing unchanged, reported by an earlier run), 1 some articles failed in this
run (the rest are written), 2 usage, config or model error, 3 the output folder is locked by another run, 4 a bug
in digest failed some articles or pages (the rest are written; tracebacks go to the log file), 5 no space left on
the disk (or quota) while writing OUT.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from . import __version__
from .cli_options import (
    config_option,
    fail,
    model_options,
    model_overrides,
    multilingual_model,
    stack,
    translation_options,
    user_errors,
)
from .config import ENGINES, EXECUTORS, load_config
from .errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, one_line
from .logs import printable, setup_logging

log = logging.getLogger("digest")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="digest")
def cli() -> None:
    """Turn piles of news articles into short, multilingual digests.

    \b
    Examples:
      digest run articles/ -o out --to de,fr
      digest summarize article.txt
      cat summary.txt | digest translate --to de -
      digest config show -c configs/multilingual.yaml
    """


def _executor(executor: str | None, ray_address: str | None) -> str | None:
    """An address only means something to Ray: imply --executor ray rather than silently ignore it."""
    if not ray_address:
        return executor
    if executor == "local":
        fail("--ray-address needs --executor ray (it names the Ray cluster to join), not --executor local",
              EXIT_USAGE)
    return "ray"


@cli.command()
@click.argument("inputs", nargs=-1)
@click.option("-o", "--out", type=click.Path(file_okay=False), help="Output folder (default: output.dir).")
@click.option("--to", "targets", help="Target languages, comma-separated, e.g. de,fr,es.")
@model_options
@multilingual_model
@click.option("--include", multiple=True, help="Only read files matching this glob. Repeatable.")
@click.option("--exclude", multiple=True, help="Skip files matching this glob. Repeatable.")
@click.option("--force", is_flag=True, help="Redo every article, even when its output is up to date.")
@click.option("--retry-failed", is_flag=True,
              help="Retry articles that failed before with the same input and settings (skipped otherwise).")
@click.option("--since", metavar="DATE", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]),
              help="Only read input files modified at or after this local date/time.")
@click.option("--changed-only", is_flag=True,
              help="Only read input files modified since the last run on OUT in which nothing failed.")
@click.option("--executor", type=click.Choice(EXECUTORS),
              help="Run here, or on Ray actors (digest[ray]); --ray-address implies ray.")
@click.option("--ray-address", metavar="ADDR",
              help="Ray cluster to join (e.g. auto, ray://head:10001); implies --executor ray. "
                   "Without it, --executor ray starts a local Ray.")
@click.option("--lock-timeout", type=click.FloatRange(min=0), default=0, show_default=True,
              help="Seconds to wait for another run on the same output folder (then exit 3).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or info lines; problems only.")
@click.option("--log-format", type=click.Choice(["human", "json"]), default="human", show_default=True)
@click.option("--log-file", type=click.Path(dir_okay=False), help="Also append log lines to this file.")
def run(inputs, out, targets, config_path, summary_model, translation_models, engine, device, batch_size,
        multilingual_model, include, exclude, force, retry_failed, since, changed_only, executor, ray_address,
        lock_timeout, quiet, log_format, log_file) -> None:
    """Digest INPUTS (files, folders, - for stdin, or http(s) URLs of feeds, sitemaps, home pages, articles) into OUT.

    \b
    Writes OUT/articles/<id>.json, OUT/digest.<lang>.md and .html, OUT/manifest.jsonl (the state of every
    article) and OUT/last-run.jsonl (what this run did).
    Exit codes: 0 all ok (or failing unchanged, reported before), 1 some articles failed in this run,
    2 usage/config/model error, 3 locked, 4 internal error (a bug hit some articles or pages; see --log-file),
    5 no space left on the disk (or quota) writing OUT.

    \b
    Example:
      digest run ~/feeds --to de,fr -o ~/digests -q --changed-only
    """
    executor = _executor(executor, ray_address)
    with user_errors(writing=out):
        setup_logging(quiet, log_format, log_file)
        config = load_config(config_path, **model_overrides(
            summary_model, translation_models, engine, device, batch_size, to=targets, executor=executor,
            ray_address=ray_address, multilingual_model=multilingual_model,
            **{"input.include": list(include) or None, "input.exclude": list(exclude) or None}))
        if not inputs and not config.input.sources:
            raise click.UsageError("give at least one INPUT (or URLs in the config's input.sources)")
        from .api import Digester

        digester = Digester(config, progress=False if quiet else None)
        result = digester.run(inputs, out, force=force, since=since.astimezone() if since else None,
                              changed_only=changed_only, lock_timeout=lock_timeout, stdin=sys.stdin,
                              retry_failed=retry_failed)
        log.info("%s", result.summary_line())
    raise click.exceptions.Exit(result.exit_code)


@cli.command()
@click.argument("source", default="-")
@model_options
def summarize(source, config_path, summary_model, translation_models, engine, device, batch_size) -> None:
    """Summarize SOURCE (a file, or - for stdin) and print the summary.

    A file of several articles (JSON list, JSONL) prints one summary per article, separated by blank lines.
    """
    setup_logging(quiet=True)
    with user_errors():
        config = load_config(config_path,
                             **model_overrides(summary_model, translation_models, engine, device, batch_size))
        from .api import Digester
        from .inputs.article import Problem
        from .inputs.discover import read_articles

        items = list(read_articles([source], stdin=sys.stdin))
        articles = [a for a in items if not isinstance(a, Problem)]
        for problem in (p for p in items if isinstance(p, Problem)):
            click.echo(printable(f"digest: {problem.source}: {problem.reason}"), err=True)
        if not articles:
            raise click.exceptions.Exit(EXIT_FAILED)
        digester = Digester(config, progress=False)
        digester.load()  # settings that leave no room are the config's fault: exit 2, before any output
        results = digester.summarize_many([a.text for a in articles], [a.language for a in articles])
        for article, result in zip(articles, results, strict=True):
            if isinstance(result, Exception):  # the source names the file and, in JSONL or a JSON list, the item
                click.echo(printable(f"digest: {article.source}: {one_line(result, None)}"), err=True)
        summaries = [r for r in results if not isinstance(r, Exception)]
        if summaries:  # nothing, not an empty line, when every summary failed
            click.echo("\n\n".join(summaries))
        raise click.exceptions.Exit(EXIT_FAILED if len(summaries) < len(items) else EXIT_OK)


@cli.command()
@click.argument("source", default="-")
@click.option("--to", "target", required=True, help="Target language, e.g. de.")
@click.option("--from", "source_lang", help="Source language (default: detected).")
@translation_options
def translate(source, target, source_lang, config_path, translation_models, multilingual_model, engine, device,
              batch_size) -> None:
    """Translate the plain text in SOURCE (a file, or - for stdin) into one language and print it."""
    setup_logging(quiet=True)
    with user_errors():
        # --to goes through the config's targets so that `--to DE` means de exactly as in `digest run --to DE`
        config = load_config(config_path, **model_overrides(None, translation_models, engine, device, batch_size,
                                                       to=target, multilingual_model=multilingual_model))
        if len(config.targets) != 1:
            fail(f"--to: translate takes one language, not {target!r} (digest run --to takes several)", EXIT_USAGE)
        (target,) = config.targets
        from .api import Digester
        from .errors import NoRouteError
        from .inputs.discover import read_text_file
        from .inputs.formats import article_text

        if source != "-" and not Path(source).exists():  # a typo, as for `digest run`: usage, not a failed article
            fail(f"{source}: no such file or folder", EXIT_USAGE)
        try:
            text = article_text(source, read_text_file("-" if source == "-" else Path(source), config.input.max_bytes))
        except ValueError as exc:
            fail(f"{source}: {exc}", EXIT_FAILED)
        if not text.strip():
            fail(f"{source}: no text to translate", EXIT_FAILED)
        digester = Digester(config, progress=False)
        src = digester.source_language(text, source_lang)  # --from EN / English means en
        if not src:  # said here, not by Digester.translate, so that the hint names the CLI option
            fail(f"{source}: cannot detect the language of the text; give it with --from, e.g. --from en",
                  EXIT_FAILED)
        try:
            translated = digester.translate(text, target, src)
        except NoRouteError as exc:  # no model for the pair loads: a setup problem, as a model error is in run
            fail(f"{source}: {exc}", EXIT_USAGE)
        except ValueError as exc:
            fail(f"{source}: {exc}", EXIT_FAILED)
        click.echo(translated.strip())  # a copy (--to = source language) keeps the input's trailing newline


@cli.command("eval")
@click.argument("out", type=click.Path(exists=True, file_okay=False))
@click.argument("references", type=click.Path(exists=True))
@click.option("--json", "json_path", type=click.Path(dir_okay=False),
              help="Where to write the scores as JSON (default: OUT/eval.json).")
@click.option("--baseline", metavar="LEAD-K",
              help="Also score the first K sentences of each article (e.g. lead-3) against the same references.")
def eval_command(out, references, json_path, baseline) -> None:
    """Score the digests in OUT against REFERENCES (a JSON/JSONL file or a folder of <id>.json).

    \b
    Summaries: ROUGE-1/2/L/Lsum against reference summaries; translations: chrF and BLEU against reference
    translations; plus the share of summaries with no unsupported numbers or names.
    Example references.jsonl line: {"id": "milley", "summary": "...", "translations": {"de": "..."}}
    """
    from .output.evaluate import evaluate, format_table, load_references
    from .output.store import atomic_write

    with user_errors():
        try:
            result = evaluate(Path(out), load_references(Path(references)), source=references, baseline=baseline)
        except ValueError as exc:
            fail(str(exc), EXIT_USAGE)
        target = Path(json_path) if json_path else Path(out) / "eval.json"
        atomic_write(target, json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    click.echo(format_table(result))
    click.echo(f"scores written to {target}", err=True)


@cli.group("models")
def models_group() -> None:
    """List and download the models a config needs, for machines that run offline.

    \b
    Pull once while online, then let cron run with no network:
      digest models pull -c /etc/digest.yaml --from en,fr
      # crontab:  0 6 * * *  HF_HUB_OFFLINE=1 digest run ~/feeds -c /etc/digest.yaml -o ~/digests -q
    HF_HOME / HF_HUB_CACHE choose the cache, as for every Hugging Face tool.
    """


_models_options = stack(
    config_option,
    click.option("--from", "sources", default="en", show_default=True, metavar="LANGS",
                 help="Languages your articles are written in, comma-separated, e.g. en,fr."),
    click.option("--to", "targets", help="Target languages, comma-separated (default: the config's targets)."),
)


def _required(config_path, sources, targets, **overrides):
    from .run.needs import required_models

    config = load_config(config_path, to=targets, **overrides)
    langs = [s.strip() for s in sources.split(",") if s.strip()]
    if not langs:
        raise click.BadParameter("give at least one language, e.g. en", param_hint="--from")
    return config, required_models(config, langs)


@models_group.command("list")
@_models_options
def models_list(config_path, sources, targets) -> None:
    """Show the models the config needs and whether they are here.

    One row per model: its role, its id, and its status (local folder, cached, or missing).
    Exit 1 when a needed model is missing (an offline run would fail), else 0.

    \b
    Example:
      digest models list -c configs/default.yaml --from en,fr
    """
    from .engines.hub import MISSING, status
    from .run.needs import fallback_models

    with user_errors():
        _, refs = _required(config_path, sources, targets)
    states = [status(ref) for ref in refs]
    rows = [("ROLE", "MODEL", "STATUS")]
    rows += [(ref.role, ref.describe(), state) for ref, state in zip(refs, states, strict=True)]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    for role, model, state in rows:
        click.echo(f"{role:<{widths[0]}}  {model:<{widths[1]}}  {state}")
    extra = fallback_models(refs)
    if extra:
        needs = ", ".join(f"{name} ({status(extra[name])})" for name in sorted(extra))
        click.echo(f"(a pair missing on the hub falls back to the pivot route, which also needs: {needs})")
    raise click.exceptions.Exit(EXIT_FAILED if MISSING in states else EXIT_OK)


@models_group.command("pull")
@_models_options
@click.option("--engine", type=click.Choice(ENGINES), help="Also convert for ct2 (default: the config's).")
def models_pull(config_path, sources, targets, engine) -> None:
    """Download the models the config needs into the HF cache.

    Safetensors weights are preferred (.bin only for a repo without them); TF, Flax and Rust weights are never fetched.

    \b
    With the ct2 engine each model is also converted into the CTranslate2 cache ($DIGEST_CACHE).
    Prints one line per model; exit 0 if all are ready, 1 if some failed.
    A pattern pair that does not exist on the hub (opus-mt-fr-de) brings in its pivot route instead.

    \b
    Example (once, online; then cron runs with HF_HUB_OFFLINE=1):
      digest models pull -c /etc/digest.yaml --from en,fr
    """
    setup_logging()
    from .engines.hub import OFFLINE_MESSAGE, hub_offline, is_local, pull_all

    with user_errors():
        config, refs = _required(config_path, sources, targets, engine=engine)
    if not refs:
        click.echo("nothing to pull: this config needs no model")
        return
    if hub_offline() and not all(is_local(ref.id) for ref in refs):
        fail(OFFLINE_MESSAGE, EXIT_FAILED)
    failed = 0
    outcomes = pull_all(refs, config.engine, device=config.device, compute_type=config.compute_type,
                        trust_remote_code=config.trust_remote_code)
    for outcome in outcomes:
        failed += not outcome.ok
        mark = "ok  " if outcome.ok and not outcome.replaced else ("--  " if outcome.ok else "FAIL")
        role = f"{outcome.ref.role}: " if outcome.ref.role else ""
        text = outcome.message if not outcome.ok or outcome.replaced else f"{outcome.ref.describe()}: {outcome.message}"
        click.echo(f"{mark} {role}{text}", err=not outcome.ok)
    raise click.exceptions.Exit(EXIT_FAILED if failed else EXIT_OK)


@cli.group("config")
def config_group() -> None:
    """Inspect configuration."""


@config_group.command("show")
@config_option
def config_show(config_path) -> None:
    """Print the effective configuration (defaults merged with the file) as YAML."""
    import yaml

    with user_errors():
        config = load_config(config_path)
    click.echo(yaml.safe_dump(config.to_dict(), sort_keys=False, allow_unicode=True), nl=False)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="digest")


def _hold(ids: tuple[str, ...], out: str | None, config_path: str | None, held: bool) -> None:
    from .output.editions import hold
    from .output.store import Store

    with user_errors():
        config = load_config(config_path)
        target = Path(out or config.output.dir)
        if not (target / "editions").is_dir():
            fail(f"{target}: no published digest here (run `digest run ... -o {target}` first)", EXIT_USAGE)
        try:
            written = hold(Store(target), list(ids), config.output, held=held)
        except ValueError as exc:
            fail(str(exc), EXIT_USAGE)
    click.echo(f"{'held' if held else 'released'} {', '.join(ids)}; {len(written)} files rewritten", err=True)


_hold_options = stack(
    click.argument("ids", nargs=-1, required=True),
    click.option("-o", "--out", type=click.Path(file_okay=False), help="Output folder (default: output.dir)."),
    config_option,
)


@cli.command("hold")
@_hold_options
def hold_command(ids, out, config_path) -> None:
    """Keep stories (article IDS) off every reader page and feed in OUT until released.

    \b
    Only the editions holding them and the front page are re-rendered; OUT/holds.json keeps the state.
    Example:
      digest hold guardian.storm -o ~/digests
    """
    _hold(ids, out, config_path, held=True)


@cli.command("release")
@_hold_options
def release_command(ids, out, config_path) -> None:
    """Put held stories (article IDS) back on the reader pages and feeds in OUT.

    \b
    Example:
      digest release guardian.storm -o ~/digests
    """
    _hold(ids, out, config_path, held=False)
