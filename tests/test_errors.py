"""The error hierarchy: one base with an exit code, so the CLI maps errors by type, never by their text."""

from __future__ import annotations

import pytest

from digest.config import ConfigError
from digest.engines.base import DeviceError, ModelLoadError
from digest.errors import DigestError, MissingExtra, one_line
from digest.output.evaluate import EvalExtraMissing
from digest.output.store import LockedError
from digest.run.ray_executor import WorkersLost
from digest.run.translator import ExplicitModelError, NoRouteError


@pytest.mark.parametrize(("error", "code"), [
    (ConfigError, 2), (ModelLoadError, 2), (DeviceError, 2), (ExplicitModelError, 2), (NoRouteError, 2),
    (MissingExtra, 2), (EvalExtraMissing, 2), (LockedError, 3), (WorkersLost, 1),
])
def test_every_user_error_is_a_digest_error_with_its_exit_code(error, code):
    assert issubclass(error, DigestError)
    assert error("x").exit_code == code


def test_errors_keep_the_builtin_types_callers_catch():
    assert issubclass(ConfigError, ValueError)  # load_config callers catch ValueError
    assert issubclass(EvalExtraMissing, ImportError)


def test_one_line_collapses_whitespace_and_cuts_at_a_word():
    assert one_line(ValueError("a\n  b\tc")) == "a b c"
    assert one_line(ValueError()) == "ValueError"
    assert one_line("word " * 100, 20) == "word word word word …"
    assert one_line(RuntimeError("\nfirst line\nsecond"), first=True) == "first line"
