"""`runner preview` over thousands of samples: samples/s of the whole command and of its
per-sample part, beside Node `vm` with a new context per event, before and after.

    .venv/bin/python bench/preview_bench.py                         # ~2 minutes on 2 cores
    .venv/bin/python bench/preview_bench.py --baseline OLD_TREE     # adds "before" rows (another source tree)
    .venv/bin/python bench/preview_bench.py --smoke                 # seconds: checks it works (CI)

Samples: the bundled samples copied to `--samples` files (3,000), pretty-printed as they are
(the way people keep them). Each row: `runner preview TRANSFORM FOLDER` (text, the default
form, and `--format json`) as a subprocess, from start to exit, output to a pipe that is read
and dropped. "whole command" is samples / that time, start-up included (interpreter, imports,
the engine processes' boot: ~0.5 s here, whatever the sample count). "per sample" leaves
start-up out: (N - n) / (time for N samples - time for n), n = `--base-samples` (300: enough
for every fixed cost, the spare engine process's boot too, to be in both runs), the rate the
command goes at once running; "CPU µs per sample" the same difference in CPU time of all the
command's processes (steadier than wall time on a busy machine). Node: bench/node_vm.js, a new context per event, on every (transform, bundled
sample) pair of the row. Rounds interleave the trees, so drift in machine load hits all alike;
figures are medians over rounds. With --baseline, every output of the two trees is compared
byte for byte (stdout, stderr, exit status). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.engine_bench import node_round
from bench.procs import MachineLoad
from bench.report import md_table, num
from runner.engine import Handler

TRANSFORMS = ("segment-track-payments.js", "segment-identify-customers.js", "segment-track-subscriptions.js",
              "transforms/")
FORMS = {"text": [], "json": ["--format", "json"]}


def many_samples(folder: Path, count: int) -> Path:
    """`count` sample files copied round-robin from the bundled samples/."""
    folder.mkdir(parents=True, exist_ok=True)
    bodies = sorted((ROOT / "samples").glob("*.json"))
    for i in range(count):
        source = bodies[i % len(bodies)]
        (folder / f"{i:05d}-{source.name}").write_bytes(source.read_bytes())
    return folder


def transform_path(name: str) -> Path:
    return ROOT / "transforms" if name == "transforms/" else ROOT / "transforms" / name


def cpu_s() -> float:
    """CPU seconds of every finished child process (and theirs: the engine workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def preview(tree: Path, transform: str, samples: Path, form: list[str]) -> tuple[float, float, tuple[bytes, bytes, int]]:
    """Wall seconds and CPU seconds (all its processes) `runner preview` of `tree` took, and what
    it wrote (stdout, stderr, status)."""
    env = dict(os.environ, PYTHONPATH=str(tree), TZ="UTC")
    cpu, started = cpu_s(), time.perf_counter()
    # Run from the samples' folder, not from a source tree: `python -m` puts the working
    # directory first on sys.path, ahead of PYTHONPATH, and would import the runner found there.
    proc = subprocess.run([sys.executable, "-m", "runner", "preview", str(transform_path(transform)), str(samples), *form],
                          cwd=samples.parent, env=env, capture_output=True, check=False)
    return time.perf_counter() - started, cpu_s() - cpu, (proc.stdout, proc.stderr, proc.returncode)


def node_rate(transform: str, seconds: float) -> float:
    """Node vm events/s, a new context per event, on the transform(s) × the bundled samples."""
    files = sorted(transform_path(transform).glob("*.js")) if transform == "transforms/" else [transform_path(transform)]
    bodies = [p.read_text("utf-8") for p in sorted((ROOT / "samples").glob("*.json"))]
    pairs = [(Handler.from_file(f), b) for f in files for b in bodies]
    return node_round(pairs, "new", seconds)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", type=Path, help="a source tree of runner to measure as 'before'")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--samples", type=int, default=3000)
    parser.add_argument("--base-samples", type=int, default=300, help="the run whose time is taken as start-up")
    parser.add_argument("--node-seconds", type=float, default=1.0, help="length of one Node round")
    parser.add_argument("--smoke", action="store_true", help="a few seconds: check that it all works")
    args = parser.parse_args()
    if args.baseline is not None and not (args.baseline / "runner" / "__init__.py").exists():
        parser.error(f"--baseline {args.baseline}: no runner/ package there")
    plan = SMOKE if args.smoke else Plan(args.rounds, args.samples, args.base_samples, args.node_seconds)
    text, _, differ = section(plan, baseline=args.baseline)
    print(text)
    if differ:
        sys.exit(1)


@dataclass(frozen=True)
class Plan:
    rounds: int = 3
    samples: int = 3000
    base_samples: int = 300
    node_seconds: float = 1.0
    transforms: tuple[str, ...] = TRANSFORMS
    forms: tuple[str, ...] = tuple(FORMS)


SMOKE = Plan(1, 50, 10, 0.2, TRANSFORMS[:1], ("json",))


def section(plan: Plan, *, baseline: Path | None = None, heading: str | None = None) -> tuple[str, dict[str, float], list[str]]:
    """The Markdown section; the slowest single transform's per-sample samples/s (text form)
    and its ratio to Node; the rows whose outputs differ between the trees (with a baseline)."""
    trees = {"after (this tree)": ROOT}
    if baseline is not None:
        trees = {"before": baseline.resolve(), **trees}
    has_node = shutil.which("node") is not None
    load = MachineLoad().start()
    tmp = Path(tempfile.mkdtemp(prefix="runner-preview-bench-"))
    try:
        many = many_samples(tmp / "many", plan.samples)
        one = many_samples(tmp / "one", plan.base_samples)
        full: dict[tuple[str, str, str], list[float]] = {}
        single: dict[tuple[str, str, str], list[float]] = {}
        full_cpu: dict[tuple[str, str, str], list[float]] = {}
        single_cpu: dict[tuple[str, str, str], list[float]] = {}
        node: dict[str, list[float]] = {t: [] for t in plan.transforms}
        differ: list[str] = []
        for r in range(plan.rounds):
            print(f"  preview: round {r + 1}/{plan.rounds} …", file=sys.stderr)
            for transform in plan.transforms:
                for form_name in plan.forms:
                    outputs = {}
                    for tree_name, tree in trees.items():
                        key = (transform, form_name, tree_name)
                        seconds, cpu, outputs[tree_name] = preview(tree, transform, many, FORMS[form_name])
                        full.setdefault(key, []).append(seconds)
                        full_cpu.setdefault(key, []).append(cpu)
                        seconds, cpu, _ = preview(tree, transform, one, FORMS[form_name])
                        single.setdefault(key, []).append(seconds)
                        single_cpu.setdefault(key, []).append(cpu)
                    if len(set(outputs.values())) > 1 and (transform, form_name) not in differ:
                        differ.append(f"{transform} {form_name}")
                if has_node:
                    node[transform].append(node_rate(transform, plan.node_seconds))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    busy = load.stop()
    rows = []
    summary: dict[str, float] = {}
    for transform in plan.transforms:
        node_median = statistics.median(node[transform]) if node[transform] else None
        for form_name in plan.forms:
            for tree_name in trees:
                key = (transform, form_name, tree_name)
                whole = statistics.median(full[key])
                start = statistics.median(single[key])
                # Too few samples to tell them from start-up's noise (--smoke): no figure.
                extra = plan.samples - plan.base_samples
                per_sample = extra / (whole - start) if whole > start else None
                cpu_us = (statistics.median(full_cpu[key]) - statistics.median(single_cpu[key])) / extra * 1e6
                rows.append([transform, form_name, tree_name, f"{whole:.2f}", num(plan.samples / whole),
                             f"{start:.2f}", num(per_sample) if per_sample else "–",
                             f"{per_sample / node_median:.1f}×" if node_median and per_sample else "–",
                             num(cpu_us, 1) if cpu_us > 0 else "–", num(node_median) if node_median else "–"])
                if per_sample and tree_name == "after (this tree)" and form_name == "text" and transform.endswith(".js"):
                    summary["preview_per_s"] = min(summary.get("preview_per_s", per_sample), per_sample)
                    if node_median:
                        ratio = per_sample / node_median
                        summary["preview_vs_node_new"] = min(summary.get("preview_vs_node_new", ratio), ratio)
    heading = heading or f"## `runner preview` of {plan.samples:,} samples"
    intro = (f"Medians of {plan.rounds} interleaved rounds; {os.cpu_count()} cores. " + __doc__.split("\n\n", 2)[2].strip()
             .replace("\n", " ") + f" Other processes used {busy['others_pct']:.0f}% of all cores meanwhile; "
             f"{busy['wall_s']:.0f} s.")
    table = md_table(["transform", "form", "tree", "seconds", "whole command samples/s", f"seconds for {plan.base_samples:,}",
                      "per sample samples/s", "per sample ÷ node", "CPU µs per sample (all processes)",
                      "node vm new-context events/s"], rows)
    parts = [heading, intro, table]
    if baseline is not None:
        parts.append("Outputs of the two trees: " + ("byte-identical in every row." if not differ else
                                                     "DIFFERENT in " + ", ".join(differ)))
    return "\n\n".join(parts), summary, differ


if __name__ == "__main__":
    main()
