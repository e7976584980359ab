// The live picture of incidents and units: a websocket feed (snapshot, then deltas, resumed
// with ?after=<position> after a drop) with an honest fallback to polling when no socket works.
import { noteServerTime } from "./api.js";

const POLL_MS = 1000; // a board must show a routed incident within 2 s, even without a socket
const WS_RETRY_WHILE_POLLING_MS = 15000;
const SILENCE_LIMIT_MS = 40000; // heartbeats come every 15 s; two missed means a dead link
// Close codes of the feed (entrypoints/http/feeds.py): resync, bad after, bad token, not allowed.
const RESYNC = 4000;
const BAD_AFTER = 4400;
const UNAUTHENTICATED = 4401;
const FORBIDDEN = 4403;

/** Incidents and units by id, newest version wins; listeners hear about every change. */
export class LiveStore {
  constructor() {
    this.incidents = new Map();
    this.units = new Map();
    this.position = null;
    this.listeners = new Set();
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(change) {
    for (const listener of this.listeners) listener(change);
  }

  /** A whole picture (snapshot or poll): what is not in it is gone, what is older is kept. */
  replace({ incidents, units, position }) {
    const newest = (held, item) => (held && held.version > item.version ? held : item);
    const open = incidents.filter((i) => i.status !== "closed");
    this.incidents = new Map(open.map((i) => [i.id, newest(this.incidents.get(i.id), i)]));
    this.units = new Map(units.map((u) => [u.id, newest(this.units.get(u.id), u)]));
    this.position = position ?? this.position;
    this.notify({ kind: "snapshot" });
  }

  /** Apply an incident as the server sent it; older versions than the one held are ignored. */
  applyIncident(incident) {
    const held = this.incidents.get(incident.id);
    if (held && held.version > incident.version) return;
    if (incident.status === "closed") this.incidents.delete(incident.id);
    else this.incidents.set(incident.id, incident);
    this.notify({ kind: "incident", incident });
  }

  applyUnit(unit) {
    const held = this.units.get(unit.id);
    if (held && held.version > unit.version) return;
    this.units.set(unit.id, unit);
    this.notify({ kind: "unit", unit });
  }

  advance(position) {
    if (typeof position === "number" && (this.position === null || position > this.position)) {
      this.position = position;
    }
  }
}

/**
 * Keeps a LiveStore current from a websocket path (e.g. /ws/console).
 * States: connecting, live, reconnecting, offline, polling.
 */
export class LiveFeed {
  constructor({ path, token, store, poll, onState, onUnauthenticated }) {
    this.path = path;
    this.token = token;
    this.store = store;
    this.poll = poll;
    this.onState = onState || (() => {});
    this.onUnauthenticated = onUnauthenticated || (() => {});
    this.state = "connecting";
    this.socket = null;
    this.everOpened = false;
    this.failures = 0;
    this.resume = false; // true once a snapshot arrived: reconnect with ?after=
    this.stopped = false;
    this.pollTimer = null;
    this.retryTimer = null;
    this.lastMessageAt = 0;
    this.watchdog = setInterval(() => this.checkSilence(), 5000);
    window.addEventListener("online", () => this.reconnectNow());
  }

  start() {
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearInterval(this.watchdog);
    clearTimeout(this.retryTimer);
    this.stopPolling();
    if (this.socket) this.socket.close(1000, "bye");
  }

  setState(state) {
    if (state === this.state) return;
    this.state = state;
    this.onState(state, this.store.position);
  }

  url() {
    const url = new URL(this.path, window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("token", this.token);
    if (this.resume && this.store.position !== null) {
      url.searchParams.set("after", String(this.store.position));
    }
    return url.toString();
  }

  connect() {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    let socket;
    try {
      socket = new WebSocket(this.url());
    } catch {
      this.closed({ code: 1006 });
      return;
    }
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.lastMessageAt = Date.now();
      socket.send(JSON.stringify({ type: "ping" })); // a resumed feed may have nothing to say
    };
    socket.onmessage = (message) => {
      const type = this.receive(message.data);
      if (type && type !== "error" && type !== "resync" && this.state !== "live") {
        this.everOpened = true; // a refused socket opens too, then says why and closes
        this.failures = 0;
        this.stopPolling();
        this.setState("live");
      }
    };
    socket.onclose = (event) => {
      if (this.socket === socket) this.socket = null;
      this.closed(event, opened);
    };
  }

  receive(raw) {
    this.lastMessageAt = Date.now();
    let message;
    try {
      message = JSON.parse(raw);
    } catch {
      return null;
    }
    if (message.type === "snapshot") {
      this.store.replace(message);
      this.resume = true;
    } else if (message.type === "incident") {
      this.store.advance(message.position);
      this.store.applyIncident(message.incident);
    } else if (message.type === "unit") {
      this.store.advance(message.position);
      this.store.applyUnit(message.unit);
    } else if (message.type === "heartbeat") {
      this.store.advance(message.position);
      if (message.at) noteServerTime(message.at);
    } else if (message.type === "resync") {
      this.resume = false; // the server cannot replay the gap: take a fresh snapshot
    } else if (message.type === "error") {
      console.warn("feed:", message.error, message.detail);
    }
    if (this.state === "live") this.onState("live", this.store.position);
    return message.type;
  }

  closed(event, opened = false) {
    if (this.stopped) return;
    if (event.code === RESYNC || event.code === BAD_AFTER) {
      this.resume = false; // a fresh snapshot, not a replay
      this.setState("reconnecting");
      this.connect();
      return;
    }
    if (event.code === UNAUTHENTICATED) {
      this.onUnauthenticated();
      return;
    }
    if (event.code === FORBIDDEN) {
      this.startPolling(); // this role may read over HTTP but not this feed: poll, for good
      return;
    }
    if (!this.everOpened) {
      // No websocket on this server (yet): poll, and look for the socket now and then.
      this.startPolling();
      this.retryTimer = setTimeout(() => this.connect(), WS_RETRY_WHILE_POLLING_MS);
      return;
    }
    this.failures = opened ? 1 : this.failures + 1;
    // After a few failed tries, poll meanwhile: the poll says whether the server is reachable.
    if (this.failures > 3) this.startPolling();
    else this.setState("reconnecting");
    const delay = Math.min(500 * 2 ** (this.failures - 1), 5000) + Math.random() * 250;
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  reconnectNow() {
    if (this.stopped || this.socket) return;
    this.connect();
  }

  checkSilence() {
    if (
      this.socket &&
      this.state === "live" &&
      Date.now() - this.lastMessageAt > SILENCE_LIMIT_MS
    ) {
      this.socket.close(); // a silent link is a dead link: reconnect and resume
    }
  }

  startPolling() {
    if (this.pollTimer) return;
    const tick = async () => {
      try {
        this.store.replace(await this.poll());
        this.resume = true;
        this.setState("polling");
      } catch (error) {
        if (error?.status === 401) this.onUnauthenticated();
        this.setState("offline");
      }
    };
    this.pollTimer = setInterval(tick, POLL_MS);
    tick();
  }

  stopPolling() {
    clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  /** Fetch now (after a local action) when polling: the operator sees their own change. */
  refreshSoon() {
    if (!this.pollTimer) return;
    this.poll()
      .then((data) => this.store.replace(data))
      .catch(() => {});
  }
}
