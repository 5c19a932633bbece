"""Golden reports: every bundled example's run report, deterministic and with seeds 1-3 stochastic, kept
under tests/core/golden/ so that a change shows what it moves.

A golden file holds the report's decisions and numbers (events without their sentences, floats to six
significant figures, each metric series as its length, first, last, lowest and highest value). When
a change is meant to move them, write them again and read the diff before committing:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/core/test_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from sandbox.core.examples import list_examples, load_example
from sandbox.core.sim import Simulation

GOLDEN = Path(__file__).parent / "golden"
RUNS = [("deterministic", None), ("stochastic", 1), ("stochastic", 2), ("stochastic", 3)]
CASES = [(example.name, mode, seed) for example in list_examples() for mode, seed in RUNS]


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return float(f"{value:.6g}")
    if isinstance(value, dict):
        return {key: _rounded(v) for key, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def fingerprint(report: dict[str, Any]) -> dict[str, Any]:
    """What a golden file keeps of a report (see the module docstring)."""
    kept = {key: value for key, value in report.items() if key not in ("events", "metrics")}
    kept["events"] = [
        [e["tick"], e["kind"], e["state"], e["treaty"], e["ally"], e["other"]] for e in report["events"]
    ]
    kept["metrics"] = {
        name: {
            "ticks": len(series),
            "first": series[0],
            "last": series[-1],
            "min": min(series),
            "max": max(series),
        }
        for name, series in report["metrics"].items()
        if series
    }
    return _rounded(kept)


def _name(example: str, mode: str, seed: int | None) -> str:
    return f"{example}.{mode}.json" if seed is None else f"{example}.{mode}-{seed}.json"


@pytest.mark.parametrize(("example", "mode", "seed"), CASES, ids=[_name(*case)[:-5] for case in CASES])
def test_the_report_is_the_golden_one(example, mode, seed):
    kwargs = {"mode": mode} if seed is None else {"mode": mode, "seed": seed}
    got = fingerprint(Simulation(load_example(example), **kwargs).run().report())
    path = GOLDEN / _name(example, mode, seed)
    text = json.dumps(got, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden report {path.name}: write it with UPDATE_GOLDEN=1"
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text), (
        f"{path.name} moved: if that is meant, write it again with UPDATE_GOLDEN=1 and read the diff"
    )


def test_every_golden_file_belongs_to_an_example():
    expected = {_name(*case) for case in CASES}
    assert {path.name for path in GOLDEN.glob("*.json")} == expected
