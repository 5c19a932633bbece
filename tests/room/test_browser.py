"""The participant page in a real browser: headless Chromium (Debian's chromium and chromium-driver,
which .ci/run installs) driven over WebDriver through joining, a reload mid-decision, the decision and
the end of the run."""

import asyncio
import shutil
import tempfile
import threading

import pytest
from room_clients import WAIT, defenders_world
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from sandbox.room.server import Room

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=390,844",  # a phone's screen
]


class RoomThread:
    """A room on 127.0.0.1 with its event loop in a thread of its own."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.room: Room | None = None
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._main, daemon=True)
        self.thread.start()
        assert self.ready.wait(WAIT)

    def _main(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.room = Room(defenders_world(), host="127.0.0.1", code="PHONE7", decision_seconds=60, pace=0.2)
        self.loop.run_until_complete(self.room.open_room())
        self.ready.set()
        self.loop.run_forever()
        self.loop.close()

    def call(self, function, *args):
        self.loop.call_soon_threadsafe(function, *args)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self.room.close(), self.loop).result(WAIT)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(WAIT)


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium uses the given driver and never looks for one
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.fail("chromium and chromium-driver are needed (apt-get install chromium chromium-driver)")
    profile = tempfile.mkdtemp(prefix="sandbox-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def test_a_participant_joins_decides_and_sees_the_end_in_chromium(browser):
    host = RoomThread()
    try:
        room = host.room
        wait = WebDriverWait(browser, WAIT)
        browser.get(room.join_url)  # the QR code's address: the code comes in after '#'
        wait.until(lambda b: b.find_element(By.ID, "join-panel").is_displayed())
        assert browser.find_element(By.ID, "code").get_attribute("value") == "PHONE7"
        wait.until(lambda b: len(Select(b.find_element(By.ID, "state")).options) == 6)
        browser.find_element(By.ID, "name").send_keys("Ann")
        Select(browser.find_element(By.ID, "state")).select_by_value("C")
        browser.find_element(By.ID, "join").click()
        wait.until(lambda b: b.find_element(By.ID, "seat").text == "for State C")
        assert room.holders() == {"C": "Ann"}

        host.call(room.start)
        wait.until(lambda b: b.find_element(By.ID, "decide-panel").is_displayed())
        assert browser.find_element(By.ID, "decide-p").text == "0.82"
        assert "feasibility 0.82" in browser.find_element(By.ID, "decide-why").text
        # the phone reloads mid-decision: the page comes back with its state and the open decision
        browser.refresh()
        wait.until(lambda b: b.find_element(By.ID, "decide-panel").is_displayed())
        assert browser.find_element(By.ID, "seat").text == "for State C"
        assert "seconds left" in browser.find_element(By.ID, "countdown").text
        browser.find_element(By.ID, "renege").click()
        wait.until(lambda b: "The run has ended" in b.find_element(By.ID, "ended").text)
        assert browser.find_element(By.ID, "status").text.endswith("Reneged.")
        assert not browser.find_element(By.ID, "error").is_displayed()
        assert room.report is not None
        renege = next(e for e in room.report["events"] if e["kind"] == "renege")
        assert renege["by"] == {"participant": "Ann", "model_choice": "honour"}
    finally:
        host.close()
