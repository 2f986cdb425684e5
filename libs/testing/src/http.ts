import { connect } from 'node:net';

/** A small fetch wrapper for black-box HTTP tests: JSON in, status, headers and parsed body out. */
export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface HttpOptions {
  body?: unknown;
  /** Sent as is, not JSON-encoded. */
  raw?: string | Buffer<ArrayBuffer>;
  key?: string;
  headers?: Record<string, string>;
}

export function httpClient(baseUrl: string) {
  // Bodies are untyped JSON off the wire; tests assert on their shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return async function request<T = any>(
    method: string,
    path: string,
    options: HttpOptions = {},
  ): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers['authorization'] = `Bearer ${options.key}`;
    let body: string | Buffer<ArrayBuffer> | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  };
}

/** What a service did with a body it refused for its size, on one raw connection. */
export interface OversizedBodyRefusal {
  /** The refusal's status line and headers, as they came. */
  head: string;
  /** The refusal's body. */
  body: string;
  /** The status of a `GET /health/live` sent next on the same connection, once the rest of the body went. */
  nextStatus: number;
}

/**
 * Declares a body one byte over 1 MiB and sends only the headers, as a proxy
 * that buffered the body does before it streams it: the service must answer
 * up front, then read the rest and keep the connection, so that the proxy
 * still sending gets the answer instead of a reset. Sends the rest, then a
 * second request on the same connection.
 */
export async function refuseOversizedBody(
  baseUrl: string,
  request: { path: string; headers: Record<string, string> },
): Promise<OversizedBodyRefusal> {
  const url = new URL(baseUrl);
  const socket = connect(Number(url.port), url.hostname);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  let ended: string | undefined;
  const closed = new Promise<string>((resolve) => {
    socket.on('error', (error: NodeJS.ErrnoException) => resolve((ended = error.code ?? 'error')));
    socket.on('close', () => resolve((ended ??= 'closed')));
  });
  const answered = async (what: string) => {
    for (let waited = 0; ; waited += 10) {
      const end = received.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(received.slice(0, end));
      if (end >= 0 && length && received.length >= end + 4 + Number(length[1])) {
        const answer = { head: received.slice(0, end), body: received.slice(end + 4) };
        received = '';
        return answer;
      }
      if (ended) throw new Error(`the connection ended (${ended}) before ${what}`);
      if (waited > 10_000) throw new Error(`no whole ${what}; got ${received.slice(0, 300)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  try {
    const size = 1024 * 1024 + 1;
    const headers = Object.entries({ host: url.host, ...request.headers })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`POST ${request.path} HTTP/1.1\r\n${headers}content-length: ${size}\r\n\r\n`);
    const refusal = await answered('refusal');
    // The body the proxy still had to send, then the next request on the same connection.
    socket.write(Buffer.alloc(size, 0x20));
    socket.write(`GET /health/live HTTP/1.1\r\nhost: ${url.host}\r\n\r\n`);
    const next = await answered('answer to the next request');
    socket.end();
    const end = await closed;
    if (end !== 'closed') throw new Error(`the connection ended with ${end}`);
    return { ...refusal, nextStatus: Number(/^HTTP\/1\.1 (\d{3}) /.exec(next.head)?.[1]) };
  } finally {
    socket.destroy();
  }
}
