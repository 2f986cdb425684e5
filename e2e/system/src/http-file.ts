import { DOMParser } from '@xmldom/xmldom';
import * as xpath from 'xpath';

/** One request of a `.http` file, as it was sent and answered. */
export interface HttpFileResult {
  /** The `###` line. */
  title: string;
  method: string;
  url: string;
  status: number;
  body: string;
}

interface Block {
  title: string;
  name?: string;
  method: string;
  url: string;
  headers: [string, string][];
  body?: string;
}

/**
 * Reads a `.http` file as VS Code's REST Client and httpyac do, for the
 * parts the request collections use: `@name = value` file variables,
 * `###` separators, `# @name` request names, a request line, headers, a
 * blank line and a body.
 */
export function parseHttpFile(text: string): {
  variables: Record<string, string>;
  blocks: Block[];
} {
  const [preamble = '', ...sections] = text.split(/^###/m);
  const variables: Record<string, string> = {};
  for (const line of preamble.split('\n')) {
    const match = /^@(\w+)\s*=\s*(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) variables[match[1]] = match[2].trim();
  }
  const blocks = sections.map((section): Block => {
    const lines = section.split('\n');
    const title = (lines[0] ?? '').trim();
    let at = 1;
    let name: string | undefined;
    for (; at < lines.length && /^\s*(#|\/\/|$)/.test(lines[at] ?? ''); at++) {
      const named = /^\s*#\s*@name\s+(\w+)/.exec(lines[at] ?? '');
      if (named) name = named[1];
    }
    const [, method, url] =
      /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\S+)(?:\s+HTTP\/[\d.]+)?$/.exec(
        (lines[at++] ?? '').trim(),
      ) ?? [];
    if (!method || !url) throw new Error(`${title}: no request line`);
    const headers: [string, string][] = [];
    for (; at < lines.length && (lines[at] ?? '').trim() !== ''; at++) {
      const [, header, value] = /^([\w-]+):\s*(.*)$/.exec((lines[at] ?? '').trim()) ?? [];
      if (!header || value === undefined)
        throw new Error(`${title}: a header line is not "name: value"`);
      headers.push([header, value]);
    }
    const body = lines.slice(at).join('\n').trim();
    return { title, name, method, url, headers, ...(body ? { body } : {}) };
  });
  return { variables, blocks };
}

/** `$.a.b[0].c` in a JSON value: the dotted and indexed JSONPath the collections write. */
function jsonPath(value: unknown, path: string): unknown {
  const steps = path.replace(/^\$\.?/, '').match(/[^.[\]]+/g) ?? [];
  return steps.reduce<unknown>(
    (node, step) => (node as Record<string, unknown> | undefined)?.[step],
    value,
  );
}

/** An XPath over an XML body: the first node's text, as REST Client gives it. */
function xmlPath(body: string, path: string): unknown {
  const selected = xpath.select(path, new DOMParser().parseFromString(body, 'text/xml'));
  const first: unknown = Array.isArray(selected) ? selected[0] : selected;
  return first && typeof first === 'object' && 'textContent' in first
    ? (first as { textContent: string | null }).textContent
    : first;
}

/**
 * Sends every request of a `.http` file in order, filling in `{{variable}}`
 * (file variables, or `overrides`) and `{{name.response.body.<path>}}` from
 * the responses of earlier named requests (JSONPath when the path starts
 * with `$`, else XPath).
 */
export async function runHttpFile(
  text: string,
  overrides: Record<string, string> = {},
): Promise<HttpFileResult[]> {
  const { variables, blocks } = parseHttpFile(text);
  Object.assign(variables, overrides);
  const responses = new Map<string, string>();
  const fill = (template: string) =>
    template.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (whole, expression: string) => {
      const variable = variables[expression];
      if (variable !== undefined) return variable;
      const reference = /^(\w+)\.response\.body\.(.+)$/.exec(expression);
      const [, name = '', path = ''] = reference ?? [];
      const body = responses.get(name);
      if (!reference || body === undefined) throw new Error(`Nothing fills ${whole}`);
      const value = path.startsWith('$') ? jsonPath(JSON.parse(body), path) : xmlPath(body, path);
      if (typeof value !== 'string' && typeof value !== 'number')
        throw new Error(`${whole} is not a value in the response`);
      return String(value);
    });
  const results: HttpFileResult[] = [];
  for (const block of blocks) {
    const url = fill(block.url);
    const response = await fetch(url, {
      method: block.method,
      headers: block.headers.map(([name, value]): [string, string] => [name, fill(value)]),
      ...(block.body === undefined ? {} : { body: fill(block.body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = await response.text();
    if (block.name) responses.set(block.name, body);
    results.push({ title: block.title, method: block.method, url, status: response.status, body });
  }
  return results;
}
