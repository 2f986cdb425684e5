// The explorer page: builds a form from the catalogue's input schemas, sends
// one call over all five protocols through the explorer service, shows the
// five transcripts side by side, and subscribes to the live events over
// WebSocket and graphql-ws. Everything it loads comes from the explorer.

import { byId, element, json } from './dom';
import { type Config, renderNav, serviceUrl } from './nav';

interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
}

interface Operation {
  name: string;
  summary: string;
  writes: boolean;
  input: JsonSchema;
}

interface ProtocolRun {
  protocol: string;
  code?: string;
  failure?: string;
  wire: string;
  sent: number;
  received: number;
  ms: number;
  messages: { from: 'client' | 'server'; text: string }[];
}

interface Exchange {
  operation: string;
  input: unknown;
  runs: ProtocolRun[];
}

const typeOf = (schema: JsonSchema): string => {
  const type = schema.type ?? schema.anyOf?.find((option) => option.type !== 'null')?.type;
  return Array.isArray(type) ? (type.find((t) => t !== 'null') ?? 'string') : (type ?? 'string');
};

let operations: Operation[] = [];

/** One field per top-level property: text, number, or JSON for lists and objects. */
function renderForm(operation: Operation, values: Record<string, unknown> = {}): void {
  const form = byId<HTMLFormElement>('input');
  form.replaceChildren();
  byId('summary').textContent =
    `${operation.summary}${operation.writes ? ' (a write: needs the API key)' : ''}`;
  const required = new Set(operation.input.required ?? []);
  for (const [name, schema] of Object.entries(operation.input.properties ?? {})) {
    const type = typeOf(schema);
    const id = `field-${name}`;
    const value = values[name];
    const field =
      type === 'array' || type === 'object'
        ? element('textarea', {
            id,
            name,
            value: value === undefined ? '' : JSON.stringify(value, null, 1),
          })
        : element('input', {
            id,
            name,
            type: type === 'integer' || type === 'number' ? 'number' : 'text',
            value:
              value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value),
          });
    field.dataset['kind'] = type;
    field.title = schema.description ?? '';
    form.append(
      element('label', { htmlFor: id }, `${name}${required.has(name) ? ' *' : ''}`),
      field,
    );
  }
}

/** The form's values as the operation's input: empty fields are left out. */
function readForm(): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of byId<HTMLFormElement>('input').querySelectorAll<
    HTMLInputElement | HTMLTextAreaElement
  >('input, textarea')) {
    if (field.value === '') continue;
    const kind = field.dataset['kind'];
    if (kind === 'integer' || kind === 'number') input[field.name] = Number(field.value);
    else if (kind === 'array' || kind === 'object') input[field.name] = JSON.parse(field.value);
    else input[field.name] = field.value;
  }
  return input;
}

function renderRuns(exchange: Exchange): void {
  const results = byId('results');
  results.replaceChildren(
    ...exchange.runs.map((run) =>
      element(
        'article',
        { className: 'run', dataset: { protocol: run.protocol, code: run.code ?? 'ok' } },
        element('h2', {}, run.protocol),
        element(
          'div',
          { className: 'facts' },
          element('span', { className: run.code ? 'code' : 'code ok' }, run.code ?? 'OK'),
          element('span', { className: 'wire', title: 'as the protocol says it' }, run.wire),
          element('span', { title: 'bytes sent, received' }, `↑ ${run.sent} B ↓ ${run.received} B`),
          element('span', {}, `${run.ms} ms`),
        ),
        ...(run.failure ? [element('p', {}, run.failure)] : []),
        ...run.messages.map((message) =>
          element(
            'pre',
            { className: message.from, title: message.from === 'client' ? 'sent' : 'received' },
            message.text,
          ),
        ),
      ),
    ),
  );
}

async function send(body: Record<string, unknown>): Promise<void> {
  const status = byId('status');
  status.textContent = 'Sending over all five…';
  try {
    const exchange = await json<Exchange>('/api/exchange', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const select = byId<HTMLSelectElement>('operation');
    select.value = exchange.operation;
    const operation = operations.find((op) => op.name === exchange.operation);
    if (operation && typeof exchange.input === 'object' && exchange.input !== null) {
      renderForm(operation, exchange.input as Record<string, unknown>);
    }
    renderRuns(exchange);
    status.textContent = `${exchange.operation}: ${exchange.runs.map((run) => `${run.protocol} ${run.code ?? 'OK'}`).join(' · ')}`;
  } catch (error) {
    status.textContent = error instanceof Error ? error.message : String(error);
  }
}

/** Events over the WebSocket service's `subscribe` op. */
function subscribeWebsocket(
  url: string,
  topics: string[],
  since: number | undefined,
  list: HTMLElement,
): WebSocket {
  const socket = new WebSocket(url);
  socket.onopen = () =>
    socket.send(
      JSON.stringify({
        id: 1,
        op: 'subscribe',
        params: { topics, ...(since === undefined ? {} : { since }) },
      }),
    );
  socket.onmessage = (message) => {
    const frame = JSON.parse(String(message.data)) as {
      event?: string;
      seq?: number;
      error?: { code: string };
    };
    if (frame.event) list.append(element('li', {}, `${frame.seq} ${frame.event}`));
    else if (frame.error) list.append(element('li', {}, `error ${frame.error.code}`));
  };
  return socket;
}

/** Events over graphql-ws (the graphql-transport-ws subprotocol), written out by hand. */
function subscribeGraphql(
  url: string,
  topics: string[],
  since: number | undefined,
  list: HTMLElement,
): WebSocket {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  socket.onmessage = (message) => {
    const frame = JSON.parse(String(message.data)) as {
      type: string;
      payload?:
        | { data?: { events?: { seq: number; type: string } }; errors?: unknown }
        | { message: string }[];
    };
    if (frame.type === 'connection_ack') {
      socket.send(
        JSON.stringify({
          id: '1',
          type: 'subscribe',
          payload: {
            query:
              'subscription ($topics: [String!]!, $since: Int) { events(topics: $topics, since: $since) { seq type } }',
            variables: { topics, since: since ?? null },
          },
        }),
      );
    } else if (frame.type === 'next' && frame.payload && !Array.isArray(frame.payload)) {
      const event = frame.payload.data?.events;
      if (event) list.append(element('li', {}, `${event.seq} ${event.type}`));
    } else if (frame.type === 'error') {
      list.append(element('li', {}, 'error'));
    } else if (frame.type === 'ping') {
      socket.send(JSON.stringify({ type: 'pong' }));
    }
  };
  return socket;
}

async function main(): Promise<void> {
  const [config, loaded] = await Promise.all([
    json<Config>('/api/config'),
    json<Operation[]>('/api/operations'),
  ]);
  operations = loaded;
  renderNav(config);
  const select = byId<HTMLSelectElement>('operation');
  select.append(...operations.map((op) => element('option', { value: op.name }, op.name)));
  select.value = 'books.get';
  const current = () => operations.find((op) => op.name === select.value);
  const show = () => {
    const operation = current();
    if (operation) renderForm(operation);
  };
  show();
  select.onchange = show;
  byId('send').onclick = () => {
    let input: Record<string, unknown>;
    try {
      input = readForm();
    } catch {
      byId('status').textContent = 'A list or object field does not hold JSON';
      return;
    }
    void send({
      operation: select.value,
      input,
      withoutKey: byId<HTMLInputElement>('without-key').checked,
    });
  };
  byId('presets').append(
    'Presets:',
    ...config.presets.map((preset) => {
      const button = element('button', { type: 'button', dataset: { preset } }, preset);
      button.onclick = () => void send({ preset });
      return button;
    }),
  );
  let open: WebSocket[] = [];
  byId('subscribe').onclick = () => {
    for (const socket of open) socket.close();
    const topics = byId<HTMLInputElement>('topics')
      .value.split(',')
      .map((topic) => topic.trim())
      .filter(Boolean);
    const sinceText = byId<HTMLInputElement>('since').value;
    const since = sinceText === '' ? undefined : Number(sinceText);
    const [websocket, graphql] = [byId('events-websocket'), byId('events-graphql')];
    websocket.replaceChildren();
    graphql.replaceChildren();
    open = [
      subscribeWebsocket(serviceUrl(config, 'websocket', '/ws', 'ws'), topics, since, websocket),
      subscribeGraphql(serviceUrl(config, 'graphql', '/graphql', 'ws'), topics, since, graphql),
    ];
  };
  document.body.dataset['ready'] = 'true';
}

void main();
