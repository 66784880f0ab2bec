"""Probes of a claim's semantics: the metrics of a shipped preset, then the same metrics moved
to and just past every boundary a claim could draw (each metric scaled, set to a constant,
set to a constant times, plus or minus another metric, and one float step either side).
The verdicts of every claim on every probe are recorded in ``tests/fixtures/claim_verdicts.json``
(``python -m tests.claim_probes`` rewrites it): a change of a claim's threshold, comparison or
metrics changes some verdict, a refactor that keeps them changes none."""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterator, Mapping

from tests.code_scan import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "claim_verdicts.json"
FACTORS = (-1.0, 0.0, 0.5, 0.9, 0.99, 1.01, 1.1, 2.0, 10.0)
# Besides the numbers in a claim's text: the tolerances its text does not state.
EXTRA = (0.0, 1.0, 1e-6, 1 - 1e-6, 1e-4)


class Reads(dict):
    """A metrics dict that remembers which keys a predicate looked up or tested."""

    def __init__(self, *args):
        super().__init__(*args)
        self.seen: set[str] = set()

    def __getitem__(self, key):
        self.seen.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.seen.add(key)
        return super().__contains__(key)


def numbers_in(text: str) -> list[float]:
    """The plain numbers written in a claim's text ("≤ 1.02", "1e-4", "3 dB")."""
    return [float(x) for x in re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?:e-?\d+)?", text)]


def _near(v: float) -> tuple[float, ...]:
    return (v, math.nextafter(v, math.inf), math.nextafter(v, -math.inf))


def probes(base: Mapping[str, float], keys: list[str], consts: list[float]) -> Iterator[dict[str, float]]:
    """The metrics ``base``, without each of ``keys``, then moved along every boundary
    ``keys`` and ``consts`` can draw."""
    yield dict(base)
    for k in keys:  # a metric the run did not measure
        yield {n: v for n, v in base.items() if n != k}
    for k, f in itertools.product(keys, FACTORS):
        yield {**base, k: base[k] * f}
    for c in consts:
        for k in keys:
            for v in _near(c):
                yield {**base, k: v}
        for a, b in itertools.permutations(keys, 2):
            y = base[b]
            for target in (c * y, y + c, y - c, y + c * y, y - c * y):
                for v in _near(target):
                    yield {**base, a: v}


def verdicts(claim, base: Mapping[str, float], keys: list[str], consts: list[float]) -> str:
    """One letter per probe: y (made, holds), x (made, fails), n (not made on these numbers)."""
    out = []
    for m in probes(base, keys, consts):
        out.append("n" if not claim.made(m) else "y" if claim.holds(m) else "x")
    return "".join(out)


def preset_metrics() -> dict[str, dict[str, float]]:
    """``experiment[view]`` -> the metrics stored in that view's shipped preset."""
    from aecore import presets
    from aecore.experiments import registry
    from aecore.store import resultfile

    out = {}
    for name, exp in sorted(registry().items()):
        for i, overrides in enumerate(exp.views):
            path = presets.path_for(name, exp.config_cls(**overrides))
            if path.is_file():  # read whatever AE_PRESETS says (the tests train live)
                out[f"{name}[{i}]"] = dict(resultfile.load(path.read_bytes())[0].metrics)
    return out


def record() -> dict:
    """The fixture: per preset view, the metrics the claims read and each claim's verdicts."""
    from aecore.experiments import get

    doc = {}
    for view, metrics in preset_metrics().items():
        exp = get(view.split("[")[0])
        claims, used = {}, set()
        for c in exp.claims:
            seen = Reads(metrics)
            c.made(seen)
            c.holds(seen)
            keys = sorted(seen.seen & set(metrics))
            consts = sorted(set(numbers_in(c.text)) | set(EXTRA))
            claims[c.key] = {"keys": keys, "consts": consts}
            used |= set(keys)
        base = {k: metrics[k] for k in sorted(used)}
        for c in exp.claims:
            entry = claims[c.key]
            entry["verdicts"] = verdicts(c, base, entry["keys"], entry["consts"])
        doc[view] = {"metrics": base, "claims": claims}
    return doc


if __name__ == "__main__":
    FIXTURE.parent.mkdir(exist_ok=True)
    FIXTURE.write_text(json.dumps(record(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {FIXTURE.relative_to(ROOT)}")
