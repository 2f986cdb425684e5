// The links every explorer page starts with: the comparison, the readable
// contract documents, and each protocol's own tool on its own service.

import { byId, element } from './dom';

export interface Config {
  /** Each service's port on the page's host; `null`: at the page's own origin, behind the gateway. */
  services: Record<string, { port: number | null }>;
  presets: string[];
}

/** Where the browser reaches a service: `http(s):` for pages, `ws(s):` for WebSockets. */
export function serviceUrl(
  config: Config,
  protocol: string,
  path: string,
  scheme: 'http' | 'ws' = 'http',
): string {
  const secure = location.protocol === 'https:' ? 's' : '';
  const port = config.services[protocol]?.port;
  const host = port === null || port === undefined ? location.host : `${location.hostname}:${port}`;
  return `${scheme}${secure}://${host}${path}`;
}

export function renderNav(config: Config): void {
  const on = (protocol: string, path: string) => serviceUrl(config, protocol, path);
  const links: [string, string][] = [
    ['Five wires side by side', '/'],
    ['WSDL (SOAP)', '/documents/soap'],
    ['OpenRPC (JSON-RPC)', '/documents/jsonrpc'],
    ['AsyncAPI (WebSocket)', '/documents/websocket'],
    ['Swagger UI (REST)', on('rest', '/api/docs')],
    ['GraphiQL (GraphQL)', on('graphql', '/graphql')],
  ];
  byId('nav').replaceChildren(
    ...links.map(([text, href]) =>
      element('a', { href, ...(href === location.pathname ? { ariaCurrent: 'page' } : {}) }, text),
    ),
  );
}
