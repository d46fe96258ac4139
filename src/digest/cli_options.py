"""The options the `digest` commands share, and the one place that turns a DigestError into a line and an exit code."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import click

from .config import DEVICES, ENGINES
from .errors import EXIT_NO_SPACE, EXIT_USAGE, NO_SPACE_ERRNOS, DigestError, one_line
from .logs import printable


@contextlib.contextmanager
def user_errors(writing: str | None = None) -> Iterator[None]:
    """Turn user-facing errors into one line and their exit code, by type (see errors.py); tracebacks stay for bugs.

    A full disk or quota is exit 5, "no space left writing <path>" (the file when the error names it, else
    `writing`, the output folder)."""
    try:
        yield
    except DigestError as exc:
        fail(str(exc), exc.exit_code)
    except OSError as exc:
        if exc.errno in NO_SPACE_ERRNOS:
            fail(f"no space left writing {exc.filename or writing or 'the output'}", EXIT_NO_SPACE)
        # an output folder or log file that cannot be created
        where = f"{exc.filename}: " if exc.filename else ""
        fail(f"{where}{exc.strerror or exc}", EXIT_USAGE)


def fail(message: str, code: int) -> None:
    click.echo(printable(f"digest: error: {one_line(message, None)}"), err=True)
    raise click.exceptions.Exit(code)


def parse_models(pairs: tuple[str, ...]) -> dict[str, str]:
    models = {}
    for pair in pairs:
        lang, sep, model = pair.partition("=")
        if not sep or not lang or not model:
            raise click.BadParameter(f"{pair!r} is not LANG=ID_OR_PATH", param_hint="--translation-model")
        models[lang.strip().lower()] = model.strip()  # --to is lower-cased: DE=PATH must still match it
    return models


class BatchSize(click.ParamType):
    """--batch-size: a whole number of at least 1, or auto."""

    name = "N|auto"

    def convert(self, value, param, ctx):
        if value == "auto" or (isinstance(value, int) and value >= 1):
            return value
        if isinstance(value, str) and value.isdigit() and int(value) >= 1:
            return int(value)
        self.fail(f"{value!r} is not a whole number of at least 1 or auto", param, ctx)


#: -c/--config, declared once for every command that reads a config
config_option = click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
                             help="YAML config (default: built-in, same as configs/default.yaml).")


def stack(*options):
    """One decorator for a list of options, which --help shows in this order."""
    def decorate(fn):
        for option in reversed(options):
            fn = option(fn)
        return fn

    return decorate


summary_model_option = click.option("--summary-model", help="Summarizer: hub id, local folder, or 'extractive'.")
translation_model_option = click.option(
    "--translation-model", "translation_models", multiple=True, metavar="LANG=ID_OR_PATH",
    help="Model for a target language (from English) or a pair: de=PATH, fr-de=PATH; an M2M100, NLLB or "
         "mBART-50 model gets its target-language token. Repeatable.")
multilingual_model = click.option(
    "--multilingual-model", metavar="ID_OR_PATH",
    help="One M2M100, NLLB or mBART-50 model for every language pair (its language codes are detected).")
engine_options = (
    click.option("--engine", type=click.Choice(ENGINES), help="Inference engine."),
    click.option("--device", type=click.Choice(DEVICES), help="Where models run."),
    click.option("--batch-size", type=BatchSize(), help="Texts per model call, or auto (64 on a GPU, else 8)."),
)
#: options shared by every command that runs models
model_options = stack(config_option, summary_model_option, translation_model_option, *engine_options)
#: `digest translate`: no summarizer runs, so no --summary-model
translation_options = stack(config_option, translation_model_option, multilingual_model, *engine_options)


def model_overrides(summary_model, translation_models, engine, device, batch_size, **extra) -> dict:
    return {"summary_model": summary_model, "translation_models": parse_models(translation_models) or None,
            "engine": engine, "device": device, "batch_size": batch_size, **extra}
