import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { connect, PROTOCOLS, type Protocol } from '@bookshop/clients';
import { demoAuthors } from '@bookshop/domain';

const COMPOSE_FILE = join(__dirname, '../../../deploy/compose.yaml');
const PORTS: Record<Protocol, number> = {
  rest: 33001,
  soap: 33002,
  graphql: 33003,
  jsonrpc: 33004,
  websocket: 33005,
};
const EXPLORER_PORT = 33000;
const GATEWAY_PORT = 33080;
const KEY = 'compose-key';

/** `docker compose` (v2) where it exists, else the older `docker-compose`. */
function composeCommand(): string[] {
  if (spawnSync('docker', ['compose', 'version']).status === 0) return ['docker', 'compose'];
  return ['docker-compose'];
}

describe('deploy/compose.yaml', () => {
  // A project name of its own: `down` removes this run's containers, network and volume only.
  const project = `bookshop-check-${randomBytes(4).toString('hex')}`;
  const [command, ...prefix] = composeCommand();
  const env = {
    ...process.env,
    API_KEYS: KEY,
    REST_PORT: String(PORTS.rest),
    SOAP_PORT: String(PORTS.soap),
    GRAPHQL_PORT: String(PORTS.graphql),
    JSONRPC_PORT: String(PORTS.jsonrpc),
    WEBSOCKET_PORT: String(PORTS.websocket),
    EXPLORER_PORT: String(EXPLORER_PORT),
    // The gateway profile too: a second replica of each service and nginx in front.
    COMPOSE_PROFILES: 'gateway',
    GATEWAY_PORT: String(GATEWAY_PORT),
  };
  const compose = (...args: string[]) =>
    execFileSync(command!, [...prefix, '-p', project, '-f', COMPOSE_FILE, ...args], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  beforeAll(() => {
    compose('up', '-d');
  });

  afterAll(() => {
    compose('down', '-v', '--remove-orphans');
  });

  it('brings the five services up on one Postgres, each answering on its port', async () => {
    const deadline = Date.now() + 150_000;
    for (const protocol of PROTOCOLS) {
      for (;;) {
        const ready = await fetch(`http://127.0.0.1:${PORTS[protocol]}/health/ready`).then(
          (response) => response.ok,
          () => false,
        );
        if (ready) break;
        if (Date.now() > deadline)
          throw new Error(`${protocol} not ready:\n${compose('logs', '--tail', '30', protocol)}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    const url = (protocol: Protocol) => `http://127.0.0.1:${PORTS[protocol]}`;
    const rest = await connect('rest', { url: url('rest'), apiKey: KEY });
    const soap = await connect('soap', { url: url('soap') });
    try {
      expect((await soap.listAuthors({ limit: 100 })).items).toHaveLength(demoAuthors.length);
      const author = await rest.createAuthor({ name: 'Composed' });
      expect(await soap.getAuthor({ id: author.id })).toEqual(author);
    } finally {
      await Promise.all([rest.close(), soap.close()]);
    }
  });

  it('puts the explorer in front, calling all five by their compose names', async () => {
    const explorer = `http://127.0.0.1:${EXPLORER_PORT}`;
    const deadline = Date.now() + 60_000;
    while (
      !(await fetch(`${explorer}/health/ready`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > deadline)
        throw new Error(`explorer not ready:\n${compose('logs', '--tail', '30', 'explorer')}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const exchange = await fetch(`${explorer}/api/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        operation: 'authors.create',
        input: { name: 'Through the explorer' },
      }),
    });
    const { runs } = (await exchange.json()) as { runs: { protocol: string; code?: string }[] };
    expect(runs.map((run) => [run.protocol, run.code ?? 'ok'])).toEqual(
      PROTOCOLS.map((protocol) => [protocol, 'ok']),
    );
    // The page is told the published ports, where a browser reaches the services.
    const config = (await (await fetch(`${explorer}/api/config`)).json()) as {
      services: Record<string, { port: number }>;
    };
    expect(config.services['websocket']?.port).toBe(PORTS.websocket);
    expect(await (await fetch(`${explorer}/documents/soap`)).text()).toContain('documents.js');
    expect((await fetch(`${explorer}/api/documents/soap`)).status).toBe(200);
  });

  it('puts the gateway in front of two replicas of each, routing by path', async () => {
    const gateway = `http://127.0.0.1:${GATEWAY_PORT}`;
    const deadline = Date.now() + 90_000;
    while (
      !(await fetch(`${gateway}/health/explorer/ready`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > deadline)
        throw new Error(`gateway not ready:\n${compose('logs', '--tail', '30', 'gateway')}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    for (const protocol of PROTOCOLS) {
      expect(compose('ps', '-q', `${protocol}-2`).trim()).not.toBe('');
      expect((await fetch(`${gateway}/health/${protocol}/ready`)).status).toBe(200);
    }
    // Every protocol through the one address, the clients as they are.
    const clients = await Promise.all(
      PROTOCOLS.map((protocol) => connect(protocol, { url: gateway, apiKey: KEY })),
    );
    try {
      const author = await clients[0]!.createAuthor({ name: 'Through the gateway' });
      for (const client of clients)
        expect(await client.getAuthor({ id: author.id })).toEqual(author);
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
    // The WSDL names the address it was fetched from: the gateway's.
    expect(await (await fetch(`${gateway}/soap?wsdl`)).text()).toContain(
      `location="http://127.0.0.1:${GATEWAY_PORT}/soap"`,
    );
    // The explorer at /, its own API beside REST's under /api.
    expect(await (await fetch(`${gateway}/`)).text()).toContain('<html');
    expect((await (await fetch(`${gateway}/api/config`)).json()) as object).toHaveProperty(
      'services',
    );
    expect((await fetch(`${gateway}/api/openapi.json`)).status).toBe(200);
    expect((await fetch(`${gateway}/asyncapi.json`)).status).toBe(200);
    // A caller's request id reaches the service and comes back; /metrics is not public.
    const traced = await fetch(`${gateway}/api/books?limit=1`, {
      headers: { 'x-request-id': 'through-the-gateway-1' },
    });
    expect(traced.headers.get('x-request-id')).toBe('through-the-gateway-1');
    expect((await fetch(`${gateway}/metrics`)).status).toBe(404);
  });

  it('runs every service as a non-root user, with a health check on readiness', () => {
    for (const protocol of [...PROTOCOLS, 'explorer']) {
      const id = compose('ps', '-q', protocol).trim();
      const inspected = JSON.parse(
        execFileSync('docker', ['inspect', id], { encoding: 'utf8' }),
      ) as {
        Config: { User: string; Healthcheck?: { Test: string[] } };
      }[];
      expect(inspected[0]?.Config.User).toBe('node');
      expect(inspected[0]?.Config.Healthcheck?.Test.join(' ')).toContain('/health/ready');
    }
  });
});
