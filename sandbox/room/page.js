// The participant page: join with the code, take a state, decide when the run asks, follow the run.
// Everything shown from the room goes through textContent; the token is kept so a reload or a dropped
// network comes back to the same state.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const TOKEN_KEY = "sandbox-room-token";
  const STATUS_WORDS = {
    "uninvolved": "Not involved", "not-obliged": "Not obliged: your treaty does not apply",
    "obliged": "Obliged", "mobilizing": "Mobilising", "belligerent": "At war",
    "defeated": "Defeated", "reneged": "Reneged", "neutral": "Neutral",
    "declined": "Declined: no promise broken", "sanctioning": "Applying sanctions",
  };
  const PHASE_WORDS = {
    "waiting": "Waiting for the facilitator to start.", "running": "The run is on.",
    "paused": "The facilitator paused the run.", "ended": "The run has ended.",
  };
  let socket = null, token = localStorage.getItem(TOKEN_KEY), retry = 0;
  let me = null, states = [], deadline = 0, total = 1, timer = null, phase = "waiting";

  function show(id, on) { $(id).hidden = !on; }
  function error(text) { $("error").textContent = text || ""; show("error", !!text); }

  async function loadStates() {
    try {
      const room = await (await fetch("room.json", { cache: "no-store" })).json();
      $("title").textContent = room.title || "The room";
      states = room.states;
      phase = room.phase;
      fillStates($("state"), true);
      fillStates($("pick"), false);
    } catch (e) { /* the socket says what is wrong */ }
  }

  function fillStates(select, withAssign) {
    const keep = select.value;
    select.replaceChildren();
    if (withAssign) select.append(new Option("Let the facilitator assign one", ""));
    for (const s of states) {
      if (!s.held) select.append(new Option(s.name, s.id));
    }
    if ([...select.options].some((o) => o.value === keep)) select.value = keep;
  }

  function connect() {
    const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws";
    socket = new WebSocket(url);
    $("connection").textContent = "Connecting…";
    socket.onopen = () => {
      retry = 0;
      $("connection").textContent = "Connected";
      if (token) send({ type: "rejoin", token: token });
      else { loadStates(); show("join-panel", true); }
    };
    socket.onmessage = (event) => receive(JSON.parse(event.data));
    socket.onclose = () => {
      $("connection").textContent = "Connection lost: trying again…";
      if (phase === "closed") { $("connection").textContent = "The room is closed."; return; }
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 500 * retry);
    };
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function receive(m) {
    if (m.type === "error") {
      if (/stale token/.test(m.message)) {
        token = null; localStorage.removeItem(TOKEN_KEY);
        loadStates(); show("join-panel", true); show("seat-panel", false);
      }
      error(m.message);
    } else if (m.type === "joined") {
      error("");
      token = m.token; localStorage.setItem(TOKEN_KEY, token);
      me = m; phase = m.phase || phase;
      show("join-panel", false); show("seat-panel", true);
      $("me").textContent = m.name;
      $("seat").textContent = m.state ? "for " + m.state_name : "with no state yet";
      show("pick-panel", !m.state);
      if (!m.state) { show("decide-panel", false); loadStates(); }
      if (!$("status").dataset.tick) $("status").textContent = PHASE_WORDS[phase] || "";
    } else if (m.type === "decide") {
      startDecision(m);
    } else if (m.type === "decided") {
      stopDecision();
      $("decided").textContent = m.by === "you"
        ? "Your choice is in: " + m.choice + ". Waiting for the others…"
        : "Time was up: the model decided for you (" + m.choice + ").";
      show("decided", true);
    } else if (m.type === "tick") {
      showTick(m);
    } else if (m.type === "room") {
      phase = m.phase;
      if (!$("status").dataset.tick || phase === "waiting") {
        delete $("status").dataset.tick;
        $("status").textContent = PHASE_WORDS[phase] || "";
        $("chip").className = "chip";
      }
      if (phase === "waiting") { show("ended", false); show("events-panel", false); show("decided", false); }
    } else if (m.type === "ended") {
      stopDecision();
      phase = "ended";
      $("ended").textContent = "The run has ended: " + m.result.replace(/-/g, " ") + ".";
      show("ended", true);
    } else if (m.type === "closed") {
      phase = "closed";
      stopDecision();
      $("ended").textContent = m.message;
      show("ended", true);
    }
  }

  function startDecision(m) {
    const n = m.names;
    const asks = { defend: "to join " + n.ally, join: "(invited) to join " + n.ally, sanction: "to sanction the attacker of " + n.ally };
    $("decide-title").textContent = n.state + " is called on by " + n.treaty + " " + (asks[m.asks] || asks.defend) + ".";
    $("decide-enemy").textContent = n.enemy.length ? "Against: " + n.enemy.join(", ") + "." : "";
    $("decide-p").textContent = m.p.toFixed(2);
    $("decide-why").textContent = m.why;
    $("honour").textContent = m.asks === "sanction" ? "Apply sanctions" : "Honour";
    $("renege").textContent = m.asks === "join" ? "Decline" : "Renege";
    $("honour").disabled = $("renege").disabled = false;
    show("decided", false); show("decide-panel", true);
    total = Math.max(m.seconds, 1);
    deadline = Date.now() + m.seconds * 1000;
    clearInterval(timer);
    timer = setInterval(tickDown, 250);
    tickDown();
    if (navigator.vibrate) navigator.vibrate(200);
  }

  function tickDown() {
    const left = Math.max(0, (deadline - Date.now()) / 1000);
    $("countdown").textContent = Math.ceil(left) + (Math.ceil(left) === 1 ? " second" : " seconds") + " left; then the model decides.";
    $("countdown-bar").style.width = (100 * left / total) + "%";
    if (left <= 0) clearInterval(timer);
  }

  function stopDecision() { clearInterval(timer); show("decide-panel", false); }

  function decide(choice) {
    $("honour").disabled = $("renege").disabled = true;
    send({ type: "decision", token: token, choice: choice });
  }

  function showTick(m) {
    show("decided", false);
    $("status").dataset.tick = m.tick;
    const word = m.status ? (STATUS_WORDS[m.status] || m.status) : "No state held";
    $("status").textContent = "Tick " + m.tick + ": " + word + (m.side ? ", on the " + m.side + "'s side" : "") + ".";
    const chip = m.status === "belligerent" ? m.side || "aggressor" : m.status || "";
    $("chip").className = "chip " + chip;
    $("at-war").textContent = m.at_war.length ? "At war: " + m.at_war.join(", ") + "." : "No one is at war.";
    const list = $("events");
    list.replaceChildren(...m.events.map((text) => { const li = document.createElement("li"); li.textContent = text; return li; }));
    $("events-title").textContent = "Tick " + m.tick;
    show("events-panel", m.events.length > 0);
  }

  $("join-form").addEventListener("submit", (event) => {
    event.preventDefault();
    send({ type: "join", code: $("code").value.trim(), name: $("name").value.trim(), state: $("state").value || null });
  });
  $("take").addEventListener("click", () => { if ($("pick").value) send({ type: "pick", token: token, state: $("pick").value }); });
  $("honour").addEventListener("click", () => decide("honour"));
  $("renege").addEventListener("click", () => decide("renege"));
  if (location.hash.length > 1) $("code").value = decodeURIComponent(location.hash.slice(1));
  connect();
})();
