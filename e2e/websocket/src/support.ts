import { freshTestDatabase, type RunningService, startService } from '@bookshop/testing';
import WebSocket from 'ws';

export const KEY = 'e2e-key';

/** The WebSocket service built from this tree, on the given database (a fresh one by default). */
export async function startWebsocket(env: Record<string, string> = {}, databaseUrl?: string) {
  const url = databaseUrl ?? (await freshTestDatabase('websocket'));
  const service: RunningService = await startService('websocket', {
    env: { DATABASE_URL: url, API_KEYS: KEY, ...env },
  });
  return { service, databaseUrl: url, wsUrl: `${service.url.replace('http', 'ws')}/ws` };
}

/** A test client: requests by correlation id, pushes collected in order, the close recorded. */
export class Client {
  readonly socket: WebSocket;
  readonly pushes: any[] = [];
  readonly replies: any[] = [];
  closed?: { code: number; reason: string };
  private nextId = 0;
  private readonly waiting = new Map<string, (reply: any) => void>();
  private readonly watchers = new Set<() => void>();

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => {
      // ws hands text frames over as a Buffer (binaryType 'nodebuffer').
      const frame = JSON.parse((data as Buffer).toString('utf8'));
      if ('event' in frame) this.pushes.push(frame);
      else {
        this.replies.push(frame);
        if (frame.id !== undefined) this.waiting.get(String(frame.id))?.(frame);
      }
      this.watchers.forEach((watch) => watch());
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.watchers.forEach((watch) => watch());
    });
  }

  static open(url: string, options: WebSocket.ClientOptions = {}): Promise<Client> {
    const socket = new WebSocket(url, options);
    const client = new Client(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  /** Sends a request frame, with any other members in `extra`, and resolves with its reply. */
  request(op: string, params?: unknown, extra: Record<string, unknown> = {}): Promise<any> {
    const id = `c${++this.nextId}`;
    const reply = new Promise((resolve) => this.waiting.set(id, resolve));
    this.socket.send(
      JSON.stringify({ id, op, ...(params === undefined ? {} : { params }), ...extra }),
    );
    return reply;
  }

  /** Resolves with the result, failing on an error reply. */
  async result(op: string, params?: unknown): Promise<any> {
    const reply = await this.request(op, params);
    if (reply.error) throw new Error(`${op}: ${JSON.stringify(reply.error)}`);
    return reply.result;
  }

  /** Waits until `check` holds, re-checking on every frame and on close. */
  until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.watchers.delete(watch);
        reject(
          new Error(
            `timed out; pushes ${this.pushes.length}, closed ${JSON.stringify(this.closed)}`,
          ),
        );
      }, timeoutMs);
      const watch = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.watchers.delete(watch);
        resolve();
      };
      this.watchers.add(watch);
    });
  }

  close(): void {
    this.socket.close();
  }
}

export const bearer = { headers: { authorization: `Bearer ${KEY}` } };

export { uniqueIsbn } from '@bookshop/testing';
