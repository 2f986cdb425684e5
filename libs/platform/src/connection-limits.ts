import { AsyncResource } from 'node:async_hooks';
import { type Socket } from 'node:net';

/**
 * Bounds the requests one HTTP connection has in flight (ARCHITECTURE.md
 * rule 11). A client may pipeline many requests and never read a reply: Node
 * parses them as fast as they arrive and would start every one. Past the
 * limit the connection's socket stops being read, and requests already
 * parsed wait for a slot, so a connection holds at most one socket read's
 * as many again waiting (one more closes the connection); its replies then
 * fill the socket and Node's own back-pressure keeps them bounded too.
 */
export class ConnectionLimiter {
  private readonly states = new WeakMap<Socket, { active: number; waiting: (() => void)[] }>();

  constructor(private readonly maxInFlight: number) {}

  /** Calls `start` when the request may run; `finish` must be called once it has ended. */
  acquire(socket: Socket, start: () => void): void {
    let state = this.states.get(socket);
    if (!state) {
      state = { active: 0, waiting: [] };
      this.states.set(socket, state);
    }
    if (state.active < this.maxInFlight) {
      state.active += 1;
      start();
      return;
    }
    // Node hands over every request of a socket read at once; a connection that
    // pipelines more than twice the limit without reading a reply is not a client
    // to wait for: it is closed, and what it sent is dropped unanswered.
    if (state.waiting.length >= this.maxInFlight) {
      state.waiting.length = 0;
      socket.destroy();
      return;
    }
    // A waiting request resumes in its own async context (its span, its log
    // context), not in that of the request whose end lets it run.
    state.waiting.push(AsyncResource.bind(start));
    socket.pause();
  }

  release(socket: Socket): void {
    const state = this.states.get(socket);
    if (!state) return;
    const next = state.waiting.shift();
    if (next) {
      next();
      return;
    }
    state.active = Math.max(0, state.active - 1);
    // Node pauses the socket itself while replies are unread (`_paused`); that pause is not ours to lift.
    if (!socket.destroyed && !(socket as Socket & { _paused?: boolean })._paused) socket.resume();
  }
}
