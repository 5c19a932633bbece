"""Names with control characters are drawn escaped: on the canvas and in the event log."""

from types import SimpleNamespace

from sandbox.app.run.event_log import EventLogModel

EVIL = "Evil\x1b[2J\r\nFAKE\u202e"
ESCAPED = "Evil\\x1b[2J\\r\\nFAKE\\u202e"


def test_a_state_name_is_drawn_escaped_on_the_canvas(main_window):
    main_window.document.scenario.update_state("GER", name=EVIL)
    assert main_window.canvas.state_items["GER"].label.text() == ESCAPED


def test_an_event_is_shown_escaped_in_the_log(qtbot):
    model = EventLogModel()
    model.append([SimpleNamespace(tick=0, kind="attack", text=f"{EVIL} attacks Serbia.")])
    assert model.data(model.index(0)) == f"{ESCAPED} attacks Serbia."
