"""The engine (MODEL.md): a run state and one module per phase of a tick.

``world`` (sandbox.core.world) is the compiled scenario; ``state`` the run's mutable arrays;
``attacks``, ``institutions``, ``obligations``, ``combat`` and ``lifecycle`` the phases;
``deterrence`` the prediction over those same phases; ``narration`` every sentence;
``recorder``, ``snapshot`` and ``report`` what readers see; ``engine`` the Simulation that runs them.
"""

from sandbox.core.sim.deterrence import DeterrencePreview
from sandbox.core.sim.engine import Simulation, compile_world, preview_attack, run_scenario
from sandbox.core.sim.snapshot import Snapshot, StateView, TieView
from sandbox.core.sim.state import RESULTS, SIDE_NAMES, STATUS_NAMES, TIE_STATUS_NAMES, LogEvent

__all__ = [
    "RESULTS",
    "SIDE_NAMES",
    "STATUS_NAMES",
    "TIE_STATUS_NAMES",
    "DeterrencePreview",
    "LogEvent",
    "Simulation",
    "Snapshot",
    "StateView",
    "TieView",
    "compile_world",
    "preview_attack",
    "run_scenario",
]
