"""Jackson & Nei stability, burden-sharing and the per-tick metric formulas, worked by hand."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.core import metrics
from sandbox.core.scenario import Scenario, ScriptedEvent, Settings, State, Treaty
from sandbox.core.sim import run_scenario
from sandbox.core.world import World


def network(powers, edges, kind="defense", **settings):
    """A scenario of states 0..n-1 named by letters, with one two-member treaty per edge."""
    ids = [chr(ord("a") + i) for i in range(len(powers))]
    states = [State(sid, sid.upper(), float(p)) for sid, p in zip(ids, powers, strict=True)]
    treaties = [Treaty(f"t{k}", f"T{k}", kind, [ids[a], ids[b]]) for k, (a, b) in enumerate(edges)]
    return Scenario(states, treaties, settings=Settings(**settings))


def vulnerable(powers, edges, gamma=1.0, pacts=()):
    a = [e[0] for e in edges]
    b = [e[1] for e in edges]
    network = metrics.alliances(len(powers), a, b, [list(p) for p in pacts])
    return np.flatnonzero(metrics.vulnerable_mask(np.array(powers, dtype=float), network, gamma)).tolist()


# -- Jackson & Nei vulnerability, by hand ----------------------------------------------


def test_isolated_states_the_strongest_is_safe():
    # no alliances: 5 attacks 3 (5 > 3); nobody beats 5
    assert vulnerable([3, 5], []) == [0]
    # equal strength is not enough (strictly greater)
    assert vulnerable([4, 4], []) == []


def test_path_the_middle_state_is_safe_and_the_ends_are_not():
    # a(2) - b(1) - c(2). Closed strengths: a 3, b 5, c 3.
    # j = a, k = b: C = {b, c} = 3; a's ally b is in C and defects: defence 2 -> vulnerable (same for c).
    # j = b, k = a: C = {a} = 2; defence M(b) + M(c) = 3 (a defects) -> 2 > 3 fails; likewise k = c: b safe.
    assert vulnerable([2, 1, 2], [(0, 1), (1, 2)]) == [0, 2]


def test_triangle_every_state_is_vulnerable():
    # equal powers 1: k's coalition is {k, other} = 2 against j alone (its allies are both in C) = 1
    assert vulnerable([1, 1, 1], [(0, 1), (1, 2), (0, 2)]) == [0, 1, 2]


def test_far_attackers_compare_closed_neighbourhoods():
    # a(1) - b(1), c isolated. j = a: k = b gives 1 vs 1 (no); c is more than two steps away:
    # closed c = 3 > closed a = 2 -> a (and b) vulnerable; c safe (2 > 3 fails)
    assert vulnerable([1, 1, 3], [(0, 1)]) == [0, 1]
    # c = 2: 2 > 2 fails -> nobody
    assert vulnerable([1, 1, 2], [(0, 1)]) == []


def test_attacker_disadvantage_scales_the_defence():
    # isolated 5 vs 3: 5 > 1.5 x 3 = 4.5 -> vulnerable; 5 > 2 x 3 fails
    assert vulnerable([3, 5], [], gamma=1.5) == [0]
    assert vulnerable([3, 5], [], gamma=2.0) == []


def test_a_multilateral_pact_is_one_coalition():
    # pact {a, b, c} of powers 1, and d (2) allied bilaterally to a. Closed: a 5, b 3, c 3, d 3.
    # j = b, k = d: C = {d, a} minus b's co-member a = {d} = 2 against b's pact {a, b, c} = 3: safe (and c).
    # j = a, k = d: C = {d} = 2 against {a, b, c} = 3: safe. j = d, k = a: C = {a, b, c} = 3 against d
    # alone (a defects) = 2: d is vulnerable.
    assert vulnerable([1, 1, 1, 2], [(0, 3)], pacts=[(0, 1, 2)]) == [3]
    # the same ties as bilateral alliances: b's ally a joins d (C = {d, a} = 3 > {b, c} = 2): b, c fall too
    assert vulnerable([1, 1, 1, 2], [(0, 3), (0, 1), (0, 2), (1, 2)]) == [1, 2, 3]
    # a pact whose members nobody else can reach: nobody is vulnerable (a bilateral triangle: all are)
    assert vulnerable([1, 1, 1], [], pacts=[(0, 1, 2)]) == []
    # an outsider stronger than the whole pact: 4 > 3 beats every member; the pact (3) does not beat it
    assert vulnerable([1, 1, 1, 4], [], pacts=[(0, 1, 2)]) == [0, 1, 2]


def allies_and_co_members(n, edges, pacts):
    """Each state's allies (bilateral or in a pact) and its co-members of pacts, as sets."""
    allies = [set() for _ in range(n)]
    co = [set() for _ in range(n)]
    for a, b in edges:
        allies[a].add(b)
        allies[b].add(a)
    for pact in pacts:
        for a, b in itertools.permutations(pact, 2):
            allies[a].add(b)
            co[a].add(b)
    return allies, co


def brute_vulnerable(powers, edges, gamma=1.0, pacts=()):
    """Jackson & Nei by definition (MODEL.md v2): every k that is not a co-member of j, and every
    coalition of k with a subset of k's allies that are neither j nor j's co-members."""
    n = len(powers)
    allies, co = allies_and_co_members(n, edges, pacts)
    found = []
    for j in range(n):
        hit = False
        for k in range(n):
            if k == j or k in co[j]:
                continue
            candidates = sorted(allies[k] - {j} - co[j])
            for size in range(len(candidates) + 1):
                for subset in itertools.combinations(candidates, size):
                    coalition = {k, *subset}
                    attack = sum(powers[i] for i in coalition)
                    defence = powers[j] + sum(powers[i] for i in allies[j] if i not in coalition)
                    hit = hit or attack > gamma * defence
        if hit:
            found.append(j)
    return found


graphs = st.integers(2, 7).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 6), min_size=n, max_size=n),
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=12).map(
            lambda pairs: sorted({(min(a, b), max(a, b)) for a, b in pairs if a != b})
        ),
    )
)
# pacts of three or more members, possibly overlapping and overlapping bilateral ties
with_pacts = graphs.flatmap(
    lambda graph: st.tuples(
        st.just(graph[0]),
        st.just(graph[1]),
        st.lists(
            st.sets(st.integers(0, len(graph[0]) - 1), min_size=3, max_size=5).map(sorted),
            max_size=3,
        )
        if len(graph[0]) >= 3
        else st.just([]),
    )
)


@settings(max_examples=150, deadline=None)
@given(graphs, st.sampled_from([1.0, 1.5]))
def test_vulnerability_matches_the_definition(graph, gamma):
    powers, edges = graph
    assert vulnerable(powers, edges, gamma) == brute_vulnerable(powers, edges, gamma)


@settings(max_examples=250, deadline=None)
@given(with_pacts, st.sampled_from([1.0, 1.5]))
def test_vulnerability_with_pacts_matches_the_definition(graph, gamma):
    powers, edges, pacts = graph
    assert vulnerable(powers, edges, gamma, pacts) == brute_vulnerable(powers, edges, gamma, pacts)


def closed_form_vulnerable(powers, edges, gamma=1.0, pacts=()):
    """The definition with each k's best coalition written out (all of k's allies that are neither j
    nor j's co-members: each one adds to the attack and can only take from the defence), one check
    per pair (j, k): polynomial, so it reaches worlds with hubs that the subset search cannot."""
    n = len(powers)
    allies, co = allies_and_co_members(n, edges, pacts)
    found = []
    for j in range(n):
        for k in range(n):
            if k == j or k in co[j]:
                continue
            coalition = {k} | (allies[k] - {j} - co[j])
            attack = sum(powers[i] for i in coalition)
            defence = powers[j] + sum(powers[i] for i in allies[j] - coalition)
            if attack > gamma * defence:
                found.append(j)
                break
    return found


@settings(max_examples=150, deadline=None)
@given(with_pacts, st.sampled_from([1.0, 1.5]))
def test_the_closed_form_is_the_definition(graph, gamma):
    powers, edges, pacts = graph
    assert closed_form_vulnerable(powers, edges, gamma, pacts) == brute_vulnerable(
        powers, edges, gamma, pacts
    )


def hub_world(rng, n):
    """A small world like the benchmark's hub world: preferential attachment, a fifth of the ties
    bilateral and the rest pacts of up to five members that overlap on the hubs; powers from a
    handful of values so that ties in strength (the walk's stopping rule) occur."""
    degree = np.ones(n)
    edges, pacts = set(), []
    for i in range(1, n):
        chosen = rng.choice(i, size=min(i, 4), replace=False, p=degree[:i] / degree[:i].sum())
        if rng.random() < 0.3:
            edges.add((int(chosen[0]), i))
        else:
            pacts.append(sorted({i, *map(int, chosen)}))
        degree[[i, *chosen]] += 1
    powers = rng.choice([1, 2, 3, 5, 8, 20], size=n).tolist()
    return powers, sorted(edges), pacts


@pytest.mark.parametrize("seed", range(40))
def test_vulnerability_on_hub_worlds_matches_the_definition(seed):
    # worlds of 10 to 60 states whose hubs sit in many overlapping pacts: the fast path (one walk
    # per set of pacts, then the near attackers of the states left undecided) against the pair check
    rng = np.random.default_rng(seed)
    powers, edges, pacts = hub_world(rng, int(rng.integers(10, 61)))
    pacts = [p for p in pacts if len(p) >= 2]
    for gamma in (0.6, 1.0, 1.5, 3.0):
        assert vulnerable(powers, edges, gamma, pacts) == closed_form_vulnerable(powers, edges, gamma, pacts)


def test_a_small_chunk_gives_the_same_answer(monkeypatch):
    # the pair work in blocks: blocks of 8 entries decide as one block does
    rng = np.random.default_rng(7)
    powers, edges, pacts = hub_world(rng, 60)
    whole = vulnerable(powers, edges, 1.0, pacts)
    monkeypatch.setattr(metrics, "CHUNK", 8)
    assert vulnerable(powers, edges, 1.0, pacts) == whole == closed_form_vulnerable(powers, edges, 1.0, pacts)


# -- war-stability ---------------------------------------------------------------------


def brute_war_stable(powers, edges, pacts=()):
    """No vulnerable state, no alliance (a bilateral tie or a whole pact) whose deletion leaves
    its members safe, no missing bilateral alliance whose addition makes a state vulnerable."""
    if brute_vulnerable(powers, edges, pacts=pacts):
        return False
    for edge in edges:
        rest = [e for e in edges if e != edge]
        safe = set(range(len(powers))) - set(brute_vulnerable(powers, rest, pacts=pacts))
        if edge[0] in safe and edge[1] in safe:
            return False
    for pact in pacts:
        rest = [p for p in pacts if p is not pact]
        if not set(pact) & set(brute_vulnerable(powers, edges, pacts=rest)):
            return False
    allied = set(edges) | {pair for pact in pacts for pair in itertools.combinations(pact, 2)}
    for pair in itertools.combinations(range(len(powers)), 2):
        if pair not in allied and brute_vulnerable(powers, [*edges, pair], pacts=pacts):
            return False
    return True


def test_war_stability_by_hand():
    # two equal states, no alliance: nobody vulnerable, nothing to delete, and an alliance of the two
    # leaves nobody to attack: war-stable
    assert metrics.structure(network([1, 1], [])) == metrics.Structure([], True)
    # three equal states: an alliance a-b would beat c (2 > 1): not war-stable
    assert metrics.structure(network([1, 1, 1], [])) == metrics.Structure([], False)
    # two equal allies: deleting the alliance leaves both safe (1 vs 1): not war-stable
    assert metrics.structure(network([1, 1], [(0, 1)])) == metrics.Structure([], False)
    # a vulnerable state: not war-stable
    assert metrics.structure(network([3, 5], [])) == metrics.Structure(["a"], False)


@settings(max_examples=120, deadline=None)
@given(graphs)
def test_war_stability_matches_the_definition(graph):
    powers, edges = graph
    assert metrics.structure(network(powers, edges)).war_stable == brute_war_stable(powers, edges)


@settings(max_examples=120, deadline=None)
@given(with_pacts)
def test_war_stability_with_pacts_matches_the_definition(graph):
    powers, edges, pacts = graph
    scenario = network(powers, edges)
    for p, pact in enumerate(pacts):
        scenario.add_treaty(Treaty(f"p{p}", f"P{p}", "defense", [chr(ord("a") + i) for i in pact]))
    assert metrics.structure(scenario).war_stable == brute_war_stable(powers, edges, pacts)


def test_a_guarantee_binds_each_guarantor_to_the_guaranteed_only():
    # g1 (2) and g2 (2) guarantee m (1): pacts {g1, m} and {g2, m}, g1 and g2 not allied.
    # Closed: g1 3, g2 3, m 5. j = g1, k = g2: C = {g2} (m never joins against its guarantor g1) = 2
    # against {g1, m} = 3: safe; g2 alike.
    # m has no possible attacker (both are co-members): nobody is vulnerable.
    scenario = network([2, 2, 1], [])
    scenario.add_treaty(Treaty("g", "G", "guarantee", ["c"], guarantors=["a", "b"]))
    assert metrics.structure(scenario).vulnerable == []
    # as bilateral ties a-c, b-c: j = a, k = b: C = {b, c} = 3 against a alone = 2: a and b are vulnerable
    assert metrics.structure(network([2, 2, 1], [(0, 2), (1, 2)])).vulnerable == ["a", "b"]


def test_structure_uses_alliance_ties_only_and_lists_states_in_file_order():
    # a(2) - b(1) - c(2) as above, but as neutrality treaties: no alliances, so isolated 2, 1, 2:
    # b is vulnerable (2 > 1), a and c are not (2 > 2 fails)
    assert metrics.structure(network([2, 1, 2], [(0, 1), (1, 2)], kind="neutrality")).vulnerable == ["b"]
    assert metrics.structure(network([2, 1, 2], [(0, 1), (1, 2)], kind="offense")).vulnerable == ["a", "c"]
    scenario = network([2, 1, 2], [(0, 1), (1, 2)])
    scenario.states.reverse()
    scenario._reindex()
    assert metrics.structure(scenario).vulnerable == ["c", "a"]


# -- burden-sharing -------------------------------------------------------------------------


def test_olson_zeckhauser_two_members_the_large_pays_alone():
    # a = 0.1, y = (100, 50): K = {1}: X = 0.1 x 100 / (0.1 + 0.9) = 10; 50 > 9 x 10 fails -> stop.
    # x1 = 100 - 9 x 10 = 10, x2 = 0; optimum 0.1 x 150 = 15
    x, total = metrics.olson_zeckhauser(np.array([100.0, 50.0]), 0.1)
    assert x.tolist() == pytest.approx([10.0, 0.0]) and total == pytest.approx(10.0)


def test_olson_zeckhauser_two_members_both_pay():
    # y = (100, 95): 95 > 90 -> both: X = 0.1 x 195 / (0.1 + 2 x 0.9) = 10.263158;
    # x1 = 100 - 9X = 7.631579, x2 = 95 - 9X = 2.631579 (sum X)
    x, total = metrics.olson_zeckhauser(np.array([95.0, 100.0]), 0.1)
    assert total == pytest.approx(19.5 / 1.9)
    assert x.tolist() == pytest.approx([95 - 9 * 19.5 / 1.9, 100 - 9 * 19.5 / 1.9])


def test_olson_zeckhauser_three_members():
    # y = (100, 95, 20): K = {100, 95}, X = 10.263; 20 > 92.37 fails: the small one pays nothing
    x, total = metrics.olson_zeckhauser(np.array([20.0, 100.0, 95.0]), 0.1)
    assert x[0] == 0 and total == pytest.approx(19.5 / 1.9)
    # y = (50, 50, 50): X grows 5 -> 10/1.9 = 5.263 -> 15/2.8 = 5.357 (50 > 45, 50 > 47.37): all pay
    # x = 50 - 9 x 15/2.8 = 1.7857 each
    x, total = metrics.olson_zeckhauser(np.array([50.0, 50.0, 50.0]), 0.1)
    assert total == pytest.approx(15 / 2.8)
    assert x.tolist() == pytest.approx([50 - 9 * 15 / 2.8] * 3)


def test_peace_burden_report_entries():
    # treaty t0: a (100) and b (50): x = (10, 0), shares (0.1, 0), Nash 10, optimum 15, Spearman +1
    scenario = network([100, 50, 95, 20], [(0, 1)], security_preference=0.1)
    scenario.add_treaty(Treaty("t1", "T1", "defense", ["a", "c", "d"]))
    scenario.add_treaty(Treaty("t2", "T2", "entente", ["a", "d"]))
    entries = metrics.peace_burden(World(scenario))
    assert list(entries) == ["t0", "t1"]
    assert entries["t0"] == {
        "contributions": {"a": pytest.approx(10.0), "b": 0.0},
        "shares": {"a": pytest.approx(0.1), "b": 0.0},
        "nash_total": pytest.approx(10.0),
        "optimal_total": pytest.approx(15.0),
        "spearman": 1.0,
        "observed_spearman": None,  # GDP = power: every effort M/y is 1, a tie
    }
    # t1: (100, 95, 20) as above; shares 0.0763, 0.0277, 0 rank like GDP: Spearman +1
    assert entries["t1"]["nash_total"] == pytest.approx(19.5 / 1.9)
    assert entries["t1"]["spearman"] == pytest.approx(1.0)
    assert entries["t1"]["contributions"]["d"] == 0


@settings(max_examples=60, deadline=None)
@given(st.floats(1, 1000), st.floats(1, 1000), st.sampled_from([0.05, 0.1, 0.3]))
def test_two_member_shortcut_matches_the_general_equilibrium(y1, y2, a):
    scenario = network([y1, y2], [(0, 1)], security_preference=a)
    entry = metrics.peace_burden(World(scenario))["t0"]
    x, total = metrics.olson_zeckhauser(np.array([y1, y2]), a)
    assert entry["nash_total"] == pytest.approx(total)
    assert [entry["contributions"]["a"], entry["contributions"]["b"]] == pytest.approx(x.tolist(), abs=1e-9)
    shares = x / np.array([y1, y2])
    assert entry["spearman"] == metrics.spearman(np.array([y1, y2]), shares)


def test_spearman_with_ties_and_undefined():
    # x ranks (1, 2.5, 2.5, 4), y ranks (1, 3, 2, 4); centred: (-1.5, 0, 0, 1.5), (-1.5, .5, -.5, 1.5)
    # sum of products 4.5; sums of squares 4.5 and 5 -> 4.5 / sqrt(22.5) = 0.948683
    assert metrics.spearman([1, 2, 2, 3], [1, 3, 2, 4]) == pytest.approx(4.5 / np.sqrt(22.5))
    assert metrics.spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert metrics.spearman([1, 1, 1], [1, 2, 3]) is None
    assert metrics.spearman([1], [2]) is None


def test_burden_in_war_by_hand():
    # A (10) attacks B (power 4, gdp 4); C (power 8, gdp 16, mobilisation 0) defends B at once.
    # tick 1: the defenders lose 0.05 x 10 = 0.5, shared by strength: B 0.5 x 4/12 = 1/6, C 1/3.
    # costs: B 4 + 1/6 = 25/6, C 8 + 1/3 = 25/3 -> cost shares 1/3, 2/3; GDP shares 0.2, 0.8;
    # burden ratios 5/3 and 5/6; costs of own GDP 25/24 and 25/48. A fights alone: shares 1, ratio 1.
    scenario = Scenario(
        [
            State("A", "A", 10.0),
            State("B", "B", 4.0, gdp=4.0),
            State("C", "C", 8.0, gdp=16.0, mobilization=0),
        ],
        [Treaty("bc", "BC", "defense", ["B", "C"])],
        events=[ScriptedEvent(0, "A", "B")],
        settings=Settings(deterrence=False, max_ticks=2),
    )
    burden = run_scenario(scenario).report()["burden"]
    assert burden["B"] == pytest.approx(
        {"cost_of_gdp": 25 / 24, "gdp_share": 0.2, "cost_share": 1 / 3, "burden_ratio": 5 / 3}
    )
    assert burden["C"] == pytest.approx(
        {"cost_of_gdp": 25 / 48, "gdp_share": 0.8, "cost_share": 2 / 3, "burden_ratio": 5 / 6}
    )
    assert {k: burden["A"][k] for k in ("gdp_share", "cost_share", "burden_ratio")} == pytest.approx(
        {"gdp_share": 1.0, "cost_share": 1.0, "burden_ratio": 1.0}
    )


# -- per-tick metrics ----------------------------------------------------------------------


def test_metric_formulas_by_hand():
    # A (10) attacks D (6); U (4) stays out. No alliances: D and U are vulnerable (10 > 6, 10 > 4; 6 > 4).
    # tick 0: fighting 2, balance 10/16 = 0.625, share of power at war 16/20 = 0.8,
    #         stability (1 - 0.8) x (1 - 2/3) = 0.0667, cohesion 1 (nobody decided)
    # tick 1: strengths 9.7 and 5.5 -> balance 9.7/15.2; power at war is still 16/20
    scenario = Scenario(
        [State("A", "A", 10.0), State("D", "D", 6.0), State("U", "U", 4.0)],
        events=[ScriptedEvent(0, "A", "D")],
        settings=Settings(deterrence=False, max_ticks=2),
    )
    series = run_scenario(scenario).recorder.series
    assert series["tick"].tolist() == [0, 1]
    assert series["belligerents"].tolist() == [2, 2]
    assert series["vulnerable_states"].tolist() == [2, 2]
    assert series["power_balance"].tolist() == pytest.approx([0.625, 9.7 / 15.2])
    assert series["stability"].tolist() == pytest.approx([0.2 / 3, 0.2 / 3])
    assert series["cohesion"].tolist() == [1.0, 1.0]
    assert series["strength_aggressor"].tolist() == pytest.approx([10.0, 9.7])
    assert series["strength_defender"].tolist() == pytest.approx([6.0, 5.5])


def test_cohesion_counts_honoured_over_decided_and_vulnerability_is_read_before_the_war():
    # B (4) is attacked by A (40); C (8, r 0.8) and D (8, r 1) defend it together: the coalition they
    # expect is 4 + 8 + 8 = 20 against 40, feasibility 2 x 20 / 60 = 0.667: C's p = 0.53, D's 0.67 both
    # honour... unless A is stronger: with A at 100, feasibility 2 x 20 / 120 = 0.333, C 0.27, D 0.33:
    # both renege, and dropping either only lowers the other's p -> cohesion 0/2 = 0.
    # Jackson & Nei is computed on the network before the war (MODEL.md v2): alliances B-C, B-D.
    states = [
        State("A", "A", 100.0),
        State("B", "B", 4.0),
        State("C", "C", 8.0, reliability=0.8),
        State("D", "D", 8.0, reliability=1.0),
    ]
    treaties = [Treaty("bc", "BC", "defense", ["B", "C"]), Treaty("bd", "BD", "defense", ["B", "D"])]
    scenario = Scenario(
        states,
        treaties,
        events=[ScriptedEvent(0, "A", "B")],
        settings=Settings(deterrence=False, max_ticks=1),
    )
    series = run_scenario(scenario).recorder.series
    assert series["cohesion"].tolist() == [0.0]
    # the network before the war: B (4), C (8), D (8) are all beaten by A (100) even together
    assert (
        series["vulnerable_states"].tolist()
        == [len(brute_vulnerable([100, 4, 8, 8], [(1, 2), (1, 3)]))]
        == [3]
    )


@settings(max_examples=80, deadline=None)
@given(st.lists(st.floats(0.1, 1000), min_size=2, max_size=7), st.sampled_from([0.05, 0.1, 0.3]))
def test_olson_zeckhauser_is_a_nash_equilibrium(gdp, a):
    # contributors: (1-a)/(y - x) = a/X, i.e. y - x = (1-a)/a X; the others would not pay: y <= (1-a)/a X
    x, total = metrics.olson_zeckhauser(np.array(gdp), a)
    ratio = (1 - a) / a
    assert x.sum() == pytest.approx(total)
    for y, xi in zip(gdp, x.tolist(), strict=True):
        if xi > 0:
            assert y - xi == pytest.approx(ratio * total)
        else:
            assert y <= ratio * total * (1 + 1e-9)


def test_a_renege_takes_the_state_out_of_its_pact_only():
    # pact {a, b, c} (powers 1, 1, 1), d (2) allied bilaterally to a, e (5) alone.
    # c reneges: pact {a, b}. e (5) alone beats a's side {a, b, d} = 4, b's {a, b} = 2, d's {d, a} = 3
    # and c alone (1): a, b, c, d are vulnerable; nobody beats e.
    # b and c renege too: the pact is gone, a - d is left: a (3), d (3), b, c (1) all below e (5).
    scenario = network([1, 1, 1, 2, 5], [(0, 3)])
    scenario.add_treaty(Treaty("p", "P", "defense", ["a", "b", "c"]))
    world = World(scenario)
    reneged = np.array([False, False, True, False, False])
    network_after = metrics.alliance_network(world, (), reneged)
    assert [network_after.members(p).tolist() for p in range(len(network_after.pact_start) - 1)] == [[0, 1]]
    assert (network_after.lo.tolist(), network_after.hi.tolist()) == ([0], [3])
    mask = metrics.vulnerable_mask(world.power, network_after, 1.0)
    assert np.flatnonzero(mask).tolist() == [0, 1, 2, 3]
    gone = metrics.alliance_network(world, (), np.array([False, True, True, False, False]))
    assert len(gone.pact_start) == 1 and gone.lo.tolist() == [0]
    # an authorised collective tie (extra) is bilateral: b - e joins the network
    extra = metrics.alliance_network(world, [(np.array([1]), np.array([4]))], None)
    assert (extra.lo.tolist(), extra.hi.tolist()) == ([0, 1], [3, 4])
