// The links every explorer page starts with: the comparison, the readable
// contract documents, and each protocol's own tool on its own service.

import { byId, element } from './dom';

export interface Config {
  services: Record<string, { port: number }>;
  presets: string[];
}

export function renderNav(config: Config): void {
  const on = (protocol: string, path: string) =>
    `${location.protocol}//${location.hostname}:${config.services[protocol]?.port ?? 0}${path}`;
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
