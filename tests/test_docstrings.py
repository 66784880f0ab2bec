"""The examples in the docstrings of the functions a newcomer calls first run and say true
things (docs/DEVELOPING.md points to them). The page functions' examples need a running
page; those are covered by the page tests."""

from __future__ import annotations

import doctest
import importlib

import pytest

EXAMPLES = [
    ("aecore.train", "fit"),
    ("aecore.data.registry", "load_dataset"),
    ("aecore.data.registry", "set_user_data"),
    ("aecore.io.uploads", "load_upload"),
    ("aecore.penalties", "make_penalty"),
    ("aecore.models.base", "build_model"),
    ("ui.runtime.panel_state", "plan"),
    ("aecore.experiments.intro", "run"),
    ("aecore.experiments.base", "Experiment"),
    ("aecore.experiments.base", "Experiment.check_claims"),
]


@pytest.mark.parametrize("module,name", EXAMPLES, ids=[n for _, n in EXAMPLES])
def test_docstring_example_runs(module, name):
    from aecore.data import registry

    previous = registry.set_user_data(None)  # the set_user_data example registers the store
    mod = importlib.import_module(module)
    obj = mod
    for part in name.split("."):
        obj = getattr(obj, part)
    tests = doctest.DocTestFinder(recurse=False).find(obj, name, module=mod, globs=vars(mod).copy())
    assert tests and tests[0].examples, f"{module}.{name} has no example"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    try:
        for test in tests:
            runner.run(test)
    finally:
        registry.set_user_data(previous)
    assert runner.summarize(verbose=False).failed == 0
