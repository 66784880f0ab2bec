"""Every lesson's claims hold at its default settings, and on ``digits28`` (the MNIST-size
stand-in) wherever the lesson takes an image data set: one test over the whole registry,
asserted through the experiment API (the claims are the Experiment's own predicates)."""

from __future__ import annotations

import dataclasses

import pytest

from aecore.config import ConfigError
from aecore.experiments import get, registry

# Experiments that measure without a claim to prove, and why.
CLAIMLESS = {"latent_scaling": "a timing table for the bench, shown by no page"}


def _lessons() -> list:
    """Every experiment with claims; the ones budgeted over 10 s only in slow runs."""
    slow = pytest.mark.slow
    names = sorted(n for n in registry() if n not in CLAIMLESS)
    return [pytest.param(n, marks=slow) if registry()[n].budget_s > 10 else n for n in names]


def _on_digits28() -> list:
    """Every experiment whose ``dataset`` setting accepts digits28 (always slow)."""
    out = []
    for name, exp in sorted(registry().items()):
        if name in CLAIMLESS or "dataset" not in {f.name for f in dataclasses.fields(exp.config_cls)}:
            continue
        try:
            exp.config_cls(dataset="digits28")
        except ConfigError:
            continue
        out.append(pytest.param(name, marks=pytest.mark.slow))
    return out


def _claims_hold(name: str, **overrides) -> None:
    exp = get(name)
    res = exp.run(exp.config_cls(**overrides), None)
    checks = exp.check_claims(res.metrics)
    assert checks, f"{name} checked no claim"
    failed = {key: ok for key, ok in checks.items() if not ok}
    assert not failed, (name, overrides, failed, res.metrics)


def test_every_lesson_has_claims_or_says_why_not():
    for name, exp in registry().items():
        assert bool(exp.claims) != (name in CLAIMLESS), name


@pytest.mark.parametrize("name", _lessons())
def test_the_default_claims_hold(name):
    _claims_hold(name)


@pytest.mark.parametrize("name", _on_digits28())
def test_the_default_claims_hold_on_digits28(name):
    _claims_hold(name, dataset="digits28")


def test_image_lessons_accept_digits28():
    """The convention of this round: image lessons take the sidebar's image data set."""
    assert {"capacity", "sparse", "contractive", "denoising_images"} <= {p.values[0] for p in _on_digits28()}
