"""Helpers to drive pages under streamlit.testing's AppTest, including background jobs."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")


def open_page(path: str, timeout: float = 60, params: dict[str, str] | None = None) -> AppTest:
    """The app with ``path`` (e.g. "lessons/01_intro.py") as the current page, run once;
    ``params``: the query parameters of the link it was opened with."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(path)
    at.run()
    return at


def is_training(at: AppTest) -> bool:
    return any(el.proto.text for el in at.get("progress"))


def wait_until_trained(at: AppTest, limit: float = 600, poll: float = 0.5) -> AppTest:
    """Rerun until no progress bar is left (the job finished). ``limit`` only guards against
    a hang on a slow, shared machine; no test asserts how long training takes."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        time.sleep(poll)
        at.run()
        if at.exception or not is_training(at):
            return at
    raise AssertionError(f"training did not finish within {limit} s")


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def submit_form(at: AppTest, form: str, **values) -> AppTest:
    """Set a settings form's widgets (bools are toggles, numbers number inputs), press
    its submit button, and rerun."""
    for name, value in values.items():
        key = f"{form}.w.{name}"
        if isinstance(value, bool):
            at.toggle(key=key).set_value(value)
        else:
            at.number_input(key=key).set_value(value)
    for b in at.button:
        if b.proto.is_form_submitter and b.proto.form_id == f"{form}.form":
            b.click()
            break
    else:
        raise AssertionError(f"no submit button in form {form}")
    at.run()
    return at
