"""Command line: ``python -m aecore list | run NAME [--set key=value ...] [--json] [--no-cap] |
check NAME [--seeds N] [--set key=value ...] [--json] [--no-cap] | bench [--quick] [--no-pages]
[--section N] [--lessons NAMES] | presets [--only NAME] [--check] [--missing] [--data KIND] |
script NAME [--set key=value ...] [--no-cap] | data [--download KIND ...] |
exercise NAME --list [--json] | exercise NAME ID --answer VALUE [--set key=value ...] [--json] [--no-cap] |
encode NAME --image FILE.png [--set key=value ...] [--json] [--no-cap]`` (``aecore.touch.encode_cli``);
``pack --data FILE.csv|NAME [--only a,b] [--out class.pack]`` (``aecore.store.prepare``).

An unknown experiment, an unknown key, an invalid value or a run (for ``check``: the seeds'
runs together) estimated above the server's cap (``aecore.cost``; ``--no-cap`` lifts it)
exits with status 2 and one line on stderr; a diverged training run exits with status 1
(``check`` counts it as a seed on which no claim holds: ``aecore.check``).

``script`` prints the page's "reproduce" export for those settings (``aecore.store.export``):
saved to a file and run with the project's environment from any folder, it prints the
metrics as JSON. The cap applies to it as to ``run``.

``exercise`` lists a lesson's predict-then-run exercises, or grades an answer to one on fresh
runs (``aecore.exercises``; ``--set`` changes the view before the exercise's own change). An
unknown lesson or exercise, an invalid answer or a run above the cap exits 2 with one line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from aecore import cost
from aecore.config import ConfigError
from aecore.errors import DataError
from aecore.io.mnist_files import KINDS as FILE_DATA
from aecore.train import TrainingDiverged


class _BadArgs(ValueError):
    """A command-line mistake (unknown experiment, malformed --set): one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line, exit status 2
        self.exit(2, f"error: {message}\n")


def _named(sub, cmd: str, help_: str, *, json: bool = True, cap: str = "run") -> argparse.ArgumentParser:
    """A subcommand on one experiment: NAME, repeated --set KEY=VALUE, --json, --no-cap."""
    p = sub.add_parser(cmd, help=help_)
    p.add_argument("name")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    if json:
        p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--no-cap", action="store_true", help=f"{cap} even if the estimated time is above the cap")
    return p


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m aecore", description="Autoencoder Lab experiments, headless.")
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list", help="list the experiments and their settings")
    _named(sub, "run", "run one experiment")
    check = _named(sub, "check", "run one experiment on several seeds; count the seeds each claim holds on")
    check.add_argument("--seeds", type=int, default=5, metavar="N", help="seeds cfg.seed … cfg.seed+N-1 (default 5)")
    bench = sub.add_parser("bench", help="print speed figures measured side by side")
    bench.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    bench.add_argument(
        "--no-pages", action="store_true", help="skip the page first-view timing (starts streamlit servers)"
    )
    bench.add_argument("--section", type=int, action="append", choices=range(1, 9), default=[], help="only these")
    bench.add_argument(
        "--lessons", default="", metavar="NAMES", help="experiments for sections 5, 6 and 7, comma-separated"
    )
    pre = sub.add_parser("presets", help="rebuild the lecture presets in assets/presets")
    pre.add_argument("--only", action="append", default=[], metavar="NAME", help="only these experiments")
    pre.add_argument("--check", action="store_true", help="list missing or stale presets; exit 1 if any")
    pre.add_argument("--missing", action="store_true", help="build only the views that have no preset file yet")
    pre.add_argument("--data", choices=FILE_DATA, help="the views on this data set, into the data folder's presets/")
    _named(sub, "script", "print a Python script that reproduces one experiment's run", json=False, cap="write it")
    ex = _named(sub, "exercise", "list a lesson's exercises, or grade an answer to one on fresh runs")
    ex.add_argument("id", nargs="?", metavar="ID", help="the exercise to run")
    ex.add_argument("--list", action="store_true", help="list the lesson's exercises")
    ex.add_argument("--answer", metavar="VALUE", help="up, same or down; a choice id; or a number")
    data = sub.add_parser("data", help="which MNIST-format data sets are installed; download them")
    data.add_argument(
        "--download", nargs="+", choices=FILE_DATA, default=[], metavar="KIND", help=" or ".join(FILE_DATA)
    )
    enc = _named(sub, "encode", "what the page's trained model makes of a PNG drawing", cap="train")
    enc.add_argument("--image", required=True, metavar="FILE.png", help="a greyscale PNG of any size and range")
    dec = _named(sub, "decode", "the image the page's trained decoder makes of a latent code", cap="train")
    dec.add_argument("--code", required=True, metavar="Z1,Z2,...", help="the code, numbers separated by commas")
    dec.add_argument("--png", metavar="OUT.png", help="also write the decoded image as a greyscale PNG")
    pk = sub.add_parser("pack", help="train every page view on a data set; write them as one class pack")
    pk.add_argument("--data", required=True, metavar="FILE.csv|NAME", help="a CSV/NPZ/NPY file, or a data set")
    pk.add_argument("--only", default="", metavar="A,B", help="only these experiments")
    pk.add_argument("--out", metavar="FILE", help="where to write it (default class.pack)")
    return p


def _fail(msg: str, code: int = 2) -> int:
    print(f"error: {msg}", file=sys.stderr)
    return code


def cmd_list() -> int:
    from aecore.data.steps import help_text
    from aecore.experiments import registry

    for name, exp in registry().items():
        print(f"{name:18s} {exp.title} (budget {exp.budget_s:g} s)")
        for key, f in exp.config_cls.field_specs().items():
            print(f"    {key}={f.default!r:<12} {help_text(exp.config_cls, key)}")
    return 0


def _resolve(name: str, sets: list[str]):
    """(experiment, config) from the command line's NAME and KEY=VALUE pairs; _BadArgs or
    ConfigError (one line for the user) when either is wrong."""
    from aecore.experiments import registry

    exp = registry().get(name)
    if exp is None:
        raise _BadArgs(f"unknown experiment {name!r}; run 'python -m aecore list'.")
    pairs = {}
    for item in sets:
        if "=" not in item:
            raise _BadArgs(f"--set expects KEY=VALUE, got {item!r}.")
        k, v = item.split("=", 1)
        pairs[k.strip()] = v.strip()
    return exp, exp.config_cls.from_strings(pairs)


def cmd_run(name: str, sets: list[str], as_json: bool, cap: bool = True) -> int:
    try:
        exp, cfg = _resolve(name, sets)
        if cap:
            cost.check(exp, cfg)
        t0 = time.perf_counter()
        res = exp.run(cfg, None)
    except cost.RunTooLong as exc:
        return _fail(f"{exc} (Or pass --no-cap; AE_MAX_RUN_S sets the limit.)")
    except (_BadArgs, ConfigError, DataError) as exc:
        return _fail(str(exc))
    except TrainingDiverged as exc:
        return _fail(str(exc), 1)
    seconds = time.perf_counter() - t0
    if as_json:
        print(
            json.dumps(
                {"experiment": name, "config": cfg.to_dict(), "metrics": res.metrics, "seconds": round(seconds, 3)}
            )
        )
        return 0
    print(f"{exp.title} — {seconds:.1f} s")
    for k, v in res.metrics.items():
        print(f"  {k:28s} {v:.6g}")
    for key, ok in exp.check_claims(res.metrics).items():
        print(f"  claim {key}: {'holds' if ok else 'FAILS'}")
    return 0


def cmd_check(name: str, seeds: int, sets: list[str], as_json: bool, cap: bool = True) -> int:
    from aecore import check

    try:
        exp, cfg = _resolve(name, sets)
        check.seed_configs(cfg, seeds)  # a bad seed count or seed range: one line, before the cost
        if cap:
            check.check_cost(exp, cfg, seeds)
        out = check.check_claims(name, cfg, seeds)
    except cost.RunTooLong as exc:
        return _fail(f"{exc} (Or pass --no-cap; AE_MAX_RUN_S sets the limit.)")
    except (_BadArgs, ConfigError, DataError) as exc:
        return _fail(str(exc))
    if as_json:
        print(json.dumps(out))
        return 0
    print(f"{exp.title} — claims on seeds {cfg.seed}…{cfg.seed + seeds - 1}")
    for key, c in out["claims"].items():
        print(f"  {key:28s} holds on {c['held']}/{c['of']} seeds")
    for seed in out["diverged"]:
        print(f"  seed {seed}: training diverged (counted as not holding)")
    return 0


def cmd_script(name: str, sets: list[str], cap: bool = True) -> int:
    from aecore.store.script import script_for

    try:
        exp, cfg = _resolve(name, sets)
        if cap:
            cost.check(exp, cfg)
    except cost.RunTooLong as exc:
        return _fail(f"{exc} (Or pass --no-cap; AE_MAX_RUN_S sets the limit.)")
    except (_BadArgs, ConfigError, DataError) as exc:
        return _fail(str(exc))
    sys.stdout.write(script_for(name, cfg))
    return 0


def _line_progress(kind: str):
    """A download progress callback that rewrites one terminal line, twice a second at most."""
    shown = [0.0]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - shown[0] > 0.5 or done == total:
            shown[0] = time.monotonic()
            print(f"\r{kind}: {done / 1e6:5.1f} of {total / 1e6:.1f} MB", end="", flush=True)

    return progress


def cmd_data(kinds: list[str]) -> int:
    """Download the data sets asked for, then list which are installed."""
    from aecore.io import download, mnist_files

    for kind in kinds:
        if mnist_files.available(kind):
            continue
        try:
            download.fetch(kind, on_progress=_line_progress(kind))
        except DataError as exc:
            print()  # end the progress line
            return _fail(str(exc))
        print(f"\n{kind}: downloaded, checked (sizes, SHA-256, IDX headers) and installed")
    print(f"data folder: {mnist_files.data_dir()} (AE_DATA_DIR)")
    for kind in FILE_DATA:
        print(f"  {kind:14s} {'installed' if mnist_files.available(kind) else 'not installed'}")
    if not all(mnist_files.available(k) for k in FILE_DATA):
        print("  add one with 'python -m aecore data --download KIND', or see data/README.md")
    return 0


def main(argv: list[str] | None = None) -> int:
    from aecore.touch.decode_cli import code_args

    args = _parser().parse_args(code_args(sys.argv[1:] if argv is None else argv))
    from aecore.device import limit_threads

    limit_threads()  # AE_TORCH_THREADS or 1: small models run fastest on one thread
    if args.cmd == "list":
        return cmd_list()
    if args.cmd == "run":
        return cmd_run(args.name, args.set, args.json, cap=not args.no_cap)
    if args.cmd == "check":
        return cmd_check(args.name, args.seeds, args.set, args.json, cap=not args.no_cap)
    if args.cmd == "presets":
        from aecore.presets import command as presets_command

        return presets_command(args.only, args.check, args.data, args.missing)
    if args.cmd == "data":
        return cmd_data(args.download)
    if args.cmd == "exercise":
        from aecore.exercises.cli import cmd_exercise

        return cmd_exercise(args)
    if args.cmd == "pack":
        from aecore.store.prepare import command as pack_command

        return pack_command(args.data, args.only, args.out)
    if args.cmd == "script":
        return cmd_script(args.name, args.set, cap=not args.no_cap)
    if args.cmd in ("encode", "decode"):
        from aecore.touch.decode_cli import cmd_decode
        from aecore.touch.encode_cli import cmd_encode

        try:
            exp, cfg = _resolve(args.name, args.set)
        except (_BadArgs, ConfigError) as exc:
            return _fail(str(exc))
        if args.cmd == "decode":
            return cmd_decode(exp, cfg, args.code, args.json, args.png, cap=not args.no_cap)
        return cmd_encode(exp, cfg, args.image, args.json, cap=not args.no_cap)
    from aecore.bench.core import run_bench

    kw = dict(quick=args.quick, pages=not args.no_pages)
    if args.section or args.lessons:  # only then: ``run_bench``'s first two knobs stay its whole contract
        kw.update(sections=args.section, lessons=[n.strip() for n in args.lessons.split(",") if n.strip()])
    return run_bench(**kw)
