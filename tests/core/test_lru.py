"""The engine's caches belong to one compiled world, are bounded and forget the least recently
used entry first; so a run's result never depends on what else ran in the process."""

from __future__ import annotations

import pytest

from sandbox.core import world as W
from sandbox.core.examples import scenarios_folder
from sandbox.core.io.fileformat import load_scenario
from sandbox.core.lru import LRU
from sandbox.core.sim import Simulation


def test_a_full_cache_forgets_the_least_recently_used_entry():
    cache = LRU(2)
    cache["a"], cache["b"] = 1, 2
    assert cache.get("a") == 1  # "a" is now the most recent: "b" goes first
    cache["c"] = 3
    assert "b" not in cache and cache.get("a") == 1 and cache.get("c") == 3 and len(cache) == 2
    assert cache.get("b", "gone") == "gone"
    with pytest.raises(ValueError):
        LRU(0)


def _report(path, seed=0):
    sim = Simulation(load_scenario(path), seed=seed)
    sim.run()
    return sim.report()


@pytest.mark.parametrize("name", ["july-1914", "gulf-1990"])
def test_a_report_is_the_same_with_a_tiny_cache_and_after_other_runs(name, monkeypatch):
    path = scenarios_folder() / f"{name}.sandbox"
    alone = _report(path)
    for other in ("september-1939", "abyssinia-1935"):  # other worlds run in between
        _report(scenarios_folder() / f"{other}.sandbox")
    assert _report(path) == alone
    monkeypatch.setattr(W, "RESOLUTION_CACHE", 1)  # every situation but the last forgotten
    monkeypatch.setattr(W, "EXPOSURE_CACHE", 1)
    assert _report(path) == alone


def test_each_compiled_world_keeps_its_own_bounded_caches(monkeypatch):
    monkeypatch.setattr(W, "RESOLUTION_CACHE", 3)
    scenario = load_scenario(scenarios_folder() / "july-1914.sandbox")
    first, second = Simulation(scenario), Simulation(scenario.copy())
    first.run()
    assert first.world.resolutions is not second.world.resolutions
    assert 0 < len(first.world.resolutions) <= 3 and len(second.world.resolutions) == 0
