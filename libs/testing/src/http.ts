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
