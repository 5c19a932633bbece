"""Burden in peace with Sandler's joint products (MODEL.md v2 "Burden-sharing")."""

import itertools
import math

import numpy as np
import pytest

from sandbox.core import metrics
from sandbox.core.scenario import Scenario, Settings, State, Treaty
from sandbox.core.sim import run_scenario


def utility(y, x, total, a, beta):
    return (1 - a) * math.log(y - x) + a * math.log(total + beta * x)


def test_joint_products_equilibrium_by_hand_and_its_first_order_conditions():
    # y = (100, 50), a = 0.1, beta = 0.5: k = 0.1 x 1.5 / 0.9 = 1/6.
    # The largest alone: X = k 100 / (0.5 + 1/6 + 1) = (100/6) / (10/6) = 10; the smaller adds only if
    # k 50 = 8.33 > 10: no. So x = (10, 0), X = 10.
    x, total = metrics.olson_zeckhauser([100.0, 50.0], 0.1, 0.5)
    assert total == pytest.approx(10.0) and x.tolist() == pytest.approx([10.0, 0.0])
    # With beta = 2: k = 1/3; X1 = (100/3) / (2 + 1/3 + 1) = 10; k 50 = 16.7 > 10, so both:
    # X = (150/3) / (2 + 1/3 + 2) = 50 / 4.333 = 11.54, x_i = (k y_i - X) / (beta + k)
    x, total = metrics.olson_zeckhauser([100.0, 50.0], 0.1, 2.0)
    k = 0.1 * 3 / 0.9
    assert total == pytest.approx(50 / (2 + k + 2))
    assert x.tolist() == pytest.approx([(k * 100 - total) / (2 + k), (k * 50 - total) / (2 + k)])
    # first-order conditions of each contributor: (1-a)/(y_i - x_i) = a (1+beta)/(X + beta x_i)
    for xi, yi in zip(x, [100.0, 50.0], strict=True):
        assert 0.9 / (yi - xi) == pytest.approx(0.1 * 3 / (total + 2 * xi))
    # and no member gains by moving alone (a Nash equilibrium)
    for i, yi in enumerate([100.0, 50.0]):
        base = utility(yi, x[i], total, 0.1, 2.0)
        for dx in (-0.01, 0.01):
            if x[i] + dx >= 0:
                assert utility(yi, x[i] + dx, total + dx, 0.1, 2.0) <= base + 1e-12


@pytest.mark.parametrize(("gdp", "a", "beta"), [([100.0, 50.0], 0.1, 0.5), ([60.0, 40.0, 20.0], 0.2, 1.0)])
def test_the_optimum_matches_a_brute_force_search(gdp, a, beta):
    def welfare(x):
        total = sum(x)
        if total <= 0:
            return -math.inf
        return sum(utility(y, xi, total, a, beta) for y, xi in zip(gdp, x, strict=True))

    steps = 60 if len(gdp) == 3 else 400
    grids = [np.linspace(0, 0.6 * y, steps) for y in gdp]
    best = max(itertools.product(*grids), key=welfare)
    # refine around the best grid point
    width = [0.6 * y / steps for y in gdp]
    fine = [np.linspace(max(0, b - w), b + w, 41) for b, w in zip(best, width, strict=True)]
    best = max(itertools.product(*fine), key=welfare)
    assert metrics.optimal_total(gdp, a, beta) == pytest.approx(sum(best), rel=2e-3)
    assert metrics.optimal_total(gdp, a, beta) > metrics.olson_zeckhauser(gdp, a, beta)[1]


def test_without_joint_products_the_optimum_is_samuelsons():
    assert metrics.optimal_total([100.0, 50.0], 0.1) == pytest.approx(15.0)


def test_observed_spearman_reads_the_members_actual_effort():
    # GDP 100, 50, 20 with power 10, 6, 1: effort M/y = 0.1, 0.12, 0.05; ranks of y (3, 2, 1) and of
    # effort (2, 3, 1): d = (1, -1, 0), rho = 1 - 6 x 2 / (3 x 8) = 0.5. The equilibrium's (the largest
    # pays alone: x/y = (x1/100, 0, 0)) is defined too.
    states = [
        State("A", "A", 10.0, gdp=100.0),
        State("B", "B", 6.0, gdp=50.0),
        State("C", "C", 1.0, gdp=20.0),
    ]
    scenario = Scenario(states, [Treaty("abc", "ABC", "defense", ["A", "B", "C"])], settings=Settings())
    entry = run_scenario(scenario).report()["peace_burden"]["abc"]
    assert entry["observed_spearman"] == pytest.approx(0.5)
    assert entry["spearman"] is not None
    # two members: observed +1 when the richer makes the larger effort
    two = Scenario(states[:2], [Treaty("ab", "AB", "defense", ["A", "B"])], settings=Settings())
    assert run_scenario(two).report()["peace_burden"]["ab"]["observed_spearman"] == -1.0  # 0.1 < 0.12
    # private_benefit reaches the report: with beta 2 both members of AB contribute
    two.settings.private_benefit = 2.0
    shares = run_scenario(two).report()["peace_burden"]["ab"]["shares"]
    assert shares["A"] > 0 and shares["B"] > 0
