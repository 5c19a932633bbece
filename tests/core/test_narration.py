"""Names in running text: "the United Kingdom", "Germany", as a reader expects them."""

import re

import pytest

from sandbox.core.examples import list_examples, load_example
from sandbox.core.scenario import Scenario, ScriptedEvent, State, Treaty
from sandbox.core.sim.engine import run_scenario
from sandbox.core.sim.narration import with_article


@pytest.mark.parametrize(
    ("label", "inside", "head"),
    [
        ("United Kingdom", "the United Kingdom", "The United Kingdom"),
        ("United States", "the United States", "The United States"),
        ("Netherlands", "the Netherlands", "The Netherlands"),
        ("Soviet Union", "the Soviet Union", "The Soviet Union"),
        ("Ottoman Empire", "the Ottoman Empire", "The Ottoman Empire"),
        ("Germany", "Germany", "Germany"),
        ("Austria-Hungary", "Austria-Hungary", "Austria-Hungary"),
        ("Belarus", "Belarus", "Belarus"),  # ends in s, but no plural
        ("The Gambia", "The Gambia", "The Gambia"),  # a name given with its article keeps it
        ("aldoria", "aldoria", "Aldoria"),
    ],
)
def test_a_name_takes_the_article_running_text_gives_it(label, inside, head):
    assert with_article(label) == inside
    assert with_article(label, start=True) == head


def test_the_narration_says_beside_the_united_kingdom():
    # Germany (10) attacks the United Kingdom (5); Belgium (1), reliable (1.0) and bound to the UK by a
    # defence pact, honours it at once (mobilisation 0): "Belgium enters the war beside the United Kingdom"
    scenario = Scenario(
        [
            State("GER", "Germany", 10.0),
            State("BEL", "Belgium", 1.0, reliability=1.0, mobilization=0),
            State("GBR", "United Kingdom", 5.0),
        ],
        [Treaty("lon", "Treaty of London", members=["BEL", "GBR"])],
        events=[ScriptedEvent(0, "GER", "GBR")],
    )
    texts = [event.text for event in run_scenario(scenario).events]
    assert texts[0].startswith("Germany attacks the United Kingdom"), texts
    assert any(text.startswith("Belgium enters the war beside the United Kingdom") for text in texts), texts


# every name of the bundled examples that takes "the", and sentences that begin with a lower-case "the"
NEEDS_ARTICLE = sorted(
    {
        state.name
        for e in list_examples()
        for state in load_example(e.name).states
        if with_article(state.name) != state.name
    }
)


@pytest.mark.parametrize("example", [e.name for e in list_examples()])
def test_every_sentence_of_every_example_gives_the_article(example):
    simulation = run_scenario(load_example(example))
    snapshot = simulation.snapshot()
    texts = [event.text for event in simulation.events] + [view.why for view in snapshot.states.values()]
    bare = re.compile(rf"(?<!the )(?<!The )\b({'|'.join(map(re.escape, NEEDS_ARTICLE))})\b")
    for text in texts:
        assert not bare.search(text), text
        assert not re.search(r"(^|[.!?] )the ", text), text
