import { type FastifyInstance } from 'fastify';

/** What a service's `GET /` says about it. */
export interface Landing {
  /** The protocol, as a reader would name it. */
  protocol: string;
  /** Where its operations are served. */
  endpoint: string;
  /** Its contract document (OpenAPI, WSDL, SDL, OpenRPC, AsyncAPI). */
  document: string;
  /** How to read the document, where a plain GET is not all of it. */
  note?: string;
  /** Its own interactive tool, if it has one. */
  ui?: string;
  /** The explorer's readable view of the document (a path on the explorer), if it has one. */
  view?: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * `GET /`: a small page for a browser (HTML), or the same facts as JSON for
 * anything else, naming the protocol, its contract document, its UI and the
 * explorer (`EXPLORER_URL`, default http://localhost:3000/).
 */
export function serveLanding(
  fastify: FastifyInstance,
  service: string,
  landing: Landing,
  explorer: string,
): void {
  const view = landing.view ? new URL(landing.view, explorer).href : undefined;
  const facts = { service, ...landing, ...(view ? { view } : {}), explorer };
  fastify.get('/', (request, reply) => {
    if (!(request.headers.accept ?? '').includes('text/html')) return reply.send(facts);
    const link = (href: string) => `<a href="${escapeHtml(href)}">${escapeHtml(href)}</a>`;
    const rows = [
      ['protocol', escapeHtml(landing.protocol)],
      ['endpoint', escapeHtml(landing.endpoint)],
      [
        'contract document',
        `${link(landing.document)}${landing.note ? ` (${escapeHtml(landing.note)})` : ''}`,
      ],
      ...(landing.ui ? [['its own tool', link(landing.ui)]] : []),
      ...(view ? [['the document, readable', link(view)]] : []),
      ['all five side by side', link(explorer)],
    ];
    return reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bookshop ${escapeHtml(service)}</title>` +
          '<style>body{font-family:system-ui,sans-serif;margin:2rem}td{padding:0.2rem 0.8rem}</style></head>' +
          `<body><h1>Bookshop: the ${escapeHtml(service)} service</h1><table>` +
          rows.map(([name, value]) => `<tr><td>${name}</td><td>${value}</td></tr>`).join('') +
          '</table></body></html>',
      );
  });
}
