// A readable view of an OpenRPC 1.x document: each method with its params
// (by name), its result and the errors it can answer with; then the schemas.

import { element } from './dom';

interface Schema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
}

interface Method {
  name: string;
  summary?: string;
  description?: string;
  paramStructure?: string;
  params: { name: string; required?: boolean; description?: string; schema: Schema }[];
  result?: { name: string; schema: Schema };
  errors?: { code: number; message: string; data?: unknown }[];
}

interface OpenRpcDocument {
  openrpc: string;
  info: { title: string; version: string; description?: string };
  servers?: { name?: string; url: string }[];
  methods: Method[];
  components?: { schemas?: Record<string, Schema> };
}

/** A schema in a line: a link for a reference, the type and its limits otherwise. */
function describe(schema: Schema): Node | string {
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() ?? schema.$ref;
    return element('a', { href: `#schema-${name}` }, name);
  }
  const options = schema.anyOf ?? schema.oneOf;
  if (options) {
    const span = element('span');
    options.forEach((option, index) => span.append(...(index ? [' | '] : []), describe(option)));
    return span;
  }
  if (schema.enum) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? 'any');
  if (schema.type === 'array' && schema.items) {
    const span = element('span', {}, 'array of ', describe(schema.items));
    if (schema.minItems !== undefined || schema.maxItems !== undefined)
      span.append(` (${schema.minItems ?? 0}…${schema.maxItems ?? ''} items)`);
    return span;
  }
  const limits = [
    schema.format,
    schema.minimum !== undefined || schema.maximum !== undefined
      ? `${schema.minimum ?? ''}…${schema.maximum ?? ''}`
      : undefined,
    schema.minLength !== undefined || schema.maxLength !== undefined
      ? `length ${schema.minLength ?? 0}…${schema.maxLength ?? ''}`
      : undefined,
    schema.pattern ? `pattern ${schema.pattern}` : undefined,
  ].filter(Boolean);
  return limits.length ? `${type} (${limits.join(', ')})` : type;
}

const table = (head: string[], rows: HTMLTableRowElement[]) =>
  rows.length === 0
    ? element('p', { className: 'muted' }, 'none')
    : element(
        'table',
        { className: 'fields' },
        element('thead', {}, element('tr', {}, ...head.map((h) => element('th', {}, h)))),
        element('tbody', {}, ...rows),
      );

const row = (...cells: (Node | string)[]) =>
  element('tr', {}, ...cells.map((cell) => element('td', {}, cell)));

/** Renders the document into `into`; returns the method names it showed. */
export function renderOpenRpc(document: OpenRpcDocument, into: HTMLElement): string[] {
  if (typeof document.openrpc !== 'string' || !Array.isArray(document.methods)) {
    throw new Error('The JSON-RPC service did not answer with an OpenRPC document');
  }
  const schemas = Object.entries(document.components?.schemas ?? {});
  into.replaceChildren(
    element(
      'h2',
      {},
      `OpenRPC ${document.openrpc}: ${document.info.title} ${document.info.version}`,
    ),
    element('p', {}, document.info.description ?? ''),
    ...(document.servers?.length
      ? [
          element(
            'p',
            {},
            'Servers: ',
            ...document.servers.map((server) => element('code', {}, server.url)),
          ),
        ]
      : []),
    element(
      'nav',
      { className: 'toc' },
      ...document.methods.map((m) => element('a', { href: `#method-${m.name}` }, m.name)),
    ),
    ...document.methods.map((method) =>
      element(
        'section',
        {
          id: `method-${method.name}`,
          className: 'operation',
          dataset: { operation: method.name },
        },
        element('h3', {}, method.name),
        element('p', {}, method.summary ?? '', method.description ? ` ${method.description}` : ''),
        element('h4', {}, `Params (${method.paramStructure ?? 'either'})`),
        table(
          ['name', 'schema', 'required', ''],
          method.params.map((param) =>
            row(
              element('code', {}, param.name),
              describe(param.schema),
              param.required ? 'required' : 'optional',
              param.description ?? param.schema.description ?? '',
            ),
          ),
        ),
        element(
          'h4',
          {},
          'Result ',
          ...(method.result
            ? [element('code', {}, method.result.name), ': ', describe(method.result.schema)]
            : []),
        ),
        element('h4', {}, 'Errors'),
        table(
          ['code', 'message', 'data'],
          (method.errors ?? []).map((error) =>
            row(
              element('code', {}, String(error.code)),
              error.message,
              element('code', {}, error.data === undefined ? '' : JSON.stringify(error.data)),
            ),
          ),
        ),
      ),
    ),
    element('h2', {}, 'Schemas'),
    ...schemas.map(([name, schema]) =>
      element(
        'section',
        { id: `schema-${name}`, className: 'type' },
        element('h3', {}, name),
        element('p', {}, schema.description ?? ''),
        schema.properties
          ? table(
              ['property', 'schema', 'required'],
              Object.entries(schema.properties).map(([property, value]) =>
                row(
                  element('code', {}, property),
                  describe(value),
                  schema.required?.includes(property) ? 'required' : 'optional',
                ),
              ),
            )
          : element('p', {}, describe(schema)),
      ),
    ),
  );
  return document.methods.map((method) => method.name);
}
