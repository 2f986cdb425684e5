import {
  type BookshopClient,
  BookshopError,
  CLIENT_METHODS,
  connect,
  PROTOCOLS,
  type Protocol,
} from '@bookshop/clients';
import {
  DEFAULT_PORTS,
  type ErrorCode,
  type OperationName,
  type StockShortage,
} from '@bookshop/domain';
import {
  freshTestDatabase,
  type ServiceReplica,
  serviceTarget,
  serviceTrouble,
  startService,
  startServiceContainers,
  type TestPostgres,
} from '@bookshop/testing';

export const KEY = 'conformance-key';

/**
 * The columns of the scenario table: the five protocols, and REST again in
 * XML (`application/xml` bodies and replies, problems as
 * `application/problem+xml`), which must show the same as REST in JSON.
 */
export const COLUMNS = [...PROTOCOLS, 'rest xml'] as const;
export type Column = (typeof COLUMNS)[number];

/** The clients a scenario gets for one protocol: with the key, without one, and with a wrong one. */
export interface Callers {
  protocol: Protocol;
  writer: BookshopClient;
  reader: BookshopClient;
  intruder: BookshopClient;
}

export interface RunningBookshop {
  /**
   * Where the clients reach each protocol (`url`: the service, or the gateway
   * in front of its replicas), and each replica directly (`replicas`), for
   * what the gateway does not pass on (`/metrics`).
   */
  services: Record<Protocol, { url: string; replicas: ServiceReplica[] }>;
  /** Services behind deploy/gateway, two replicas each (BOOKSHOP_SERVICES=gateway). */
  gateway?: string;
  /** The gateway's error log and `5xx` access lines, latest last (none without a gateway). */
  gatewayTrouble(): string[];
  /**
   * The database's lines about a server process that ended, and the services'
   * latest warnings and errors: what a failed case shows beside its error.
   */
  trouble(): string[];
  /** Faults of the services' one database, when it is a container of this run's own. */
  database?: TestPostgres['faults'];
  callers: Record<Column, Callers>;
  /** Every operation call the callers made, with its outcome (`ok` or the error code), as `protocol operation outcome` → count. */
  calls: Map<string, number>;
  /**
   * Another writer, on a connection of its own (to `url`, the protocol's by
   * default), counted in `calls` like the callers and closed by `stop`.
   */
  connectWriter(protocol: Protocol, url?: string): Promise<BookshopClient>;
  stop(): Promise<void>;
}

const OPERATION_OF_METHOD = new Map<string, OperationName>(
  Object.entries(CLIENT_METHODS).map(([operation, method]) => [method, operation as OperationName]),
);

/** The client, counting each operation call it makes into `calls` by protocol, operation and outcome. */
function recorded(client: BookshopClient, calls: Map<string, number>): BookshopClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      const operation =
        typeof property === 'string' ? OPERATION_OF_METHOD.get(property) : undefined;
      if (!operation || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const count = (outcome: string) => {
          const key = `${target.protocol} ${operation} ${outcome}`;
          calls.set(key, (calls.get(key) ?? 0) + 1);
        };
        try {
          const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(
            target,
            args,
          );
          count('ok');
          return result;
        } catch (error) {
          count(error instanceof BookshopError ? error.code : 'not a BookshopError');
          throw error;
        }
      };
    },
  });
}

/**
 * The five services started together (as replicas would be) on one fresh
 * database, with three clients each: the built bundles as local processes,
 * with BOOKSHOP_SERVICES=containers their images on a Postgres container, or
 * with BOOKSHOP_SERVICES=gateway two replicas of each image behind the
 * gateway, every client going through it.
 */
export async function startBookshop(): Promise<RunningBookshop> {
  const target = serviceTarget();
  const started =
    target === 'processes' ? await startProcesses() : await startContainers(target === 'gateway');
  const { services } = started;

  const calls = new Map<string, number>();
  const callers = Object.fromEntries(
    await Promise.all(
      COLUMNS.map(async (column): Promise<[Column, Callers]> => {
        const protocol: Protocol = column === 'rest xml' ? 'rest' : column;
        const format = column === 'rest xml' ? 'xml' : 'json';
        const url = services[protocol].url;
        const [writer, reader, intruder] = (
          await Promise.all([
            connect(protocol, { url, apiKey: KEY, format }),
            connect(protocol, { url, format }),
            connect(protocol, { url, apiKey: 'not-the-key', format }),
          ])
        ).map((client) => recorded(client, calls)) as [
          BookshopClient,
          BookshopClient,
          BookshopClient,
        ];
        return [column, { protocol, writer, reader, intruder }];
      }),
    ),
  ) as Record<Column, Callers>;

  const more: BookshopClient[] = [];
  return {
    ...started,
    callers,
    calls,
    connectWriter: async (protocol, url = services[protocol].url) => {
      const client = recorded(await connect(protocol, { url, apiKey: KEY }), calls);
      more.push(client);
      return client;
    },
    stop: async () => {
      await Promise.all(
        Object.values(callers).flatMap(({ writer, reader, intruder }) => [
          writer.close(),
          reader.close(),
          intruder.close(),
        ]),
      );
      await Promise.all(more.map((client) => client.close()));
      await started.stop();
    },
  };
}

/** What a way of starting the services gives; the callers are added to it. */
type Started = Pick<
  RunningBookshop,
  'services' | 'gateway' | 'gatewayTrouble' | 'trouble' | 'database' | 'stop'
>;

/** The replicas behind the gateway: two of each service (the explorer, which it also routes to, one). */
export const GATEWAY_REPLICAS = 2;

async function startContainers(behindGateway: boolean): Promise<Started> {
  const names = behindGateway ? [...PROTOCOLS, 'explorer'] : PROTOCOLS;
  const containers = await startServiceContainers(
    names,
    {
      API_KEYS: KEY,
      METRICS: 'true',
      // The explorer calls the services by their names on the network, as in
      // compose, and sends the browser to the gateway for all of them.
      ...(behindGateway
        ? {
            EXPLORER_BEHIND_GATEWAY: 'true',
            // Ten replicas on one Postgres (max_connections 100): each pool
            // and its event-feed listener must fit (docs/deploy.md).
            DATABASE_POOL_SIZE: '4',
            // The gateway is the proxy whose X-Forwarded-For names the caller,
            // and keeps connections open: a stopping replica drains them.
            TRUST_PROXY: 'uniquelocal',
            SHUTDOWN_DRAIN_MS: '2000',
            // Ten starts on two cores: room for a slow first handshake with Postgres.
            DATABASE_CONNECT_TIMEOUT_MS: '20000',
          }
        : {}),
      ...Object.fromEntries(
        PROTOCOLS.map((protocol) => [
          `EXPLORER_${protocol.toUpperCase()}_URL`,
          `http://${protocol}:${DEFAULT_PORTS[protocol]}`,
        ]),
      ),
    },
    behindGateway
      ? {
          replicas: Object.fromEntries(PROTOCOLS.map((protocol) => [protocol, GATEWAY_REPLICAS])),
          gateway: true,
        }
      : {},
  );
  const services = Object.fromEntries(
    PROTOCOLS.map((protocol) => [
      protocol,
      {
        url: containers.gateway ?? containers.urls[protocol]!,
        replicas: containers.replicas[protocol]!,
      },
    ]),
  ) as RunningBookshop['services'];
  return {
    services,
    ...(containers.gateway ? { gateway: containers.gateway } : {}),
    gatewayTrouble: () => containers.gatewayTrouble(),
    trouble: () => containers.trouble(),
    database: containers.database,
    stop: () => containers.stop(),
  };
}

async function startProcesses(): Promise<Started> {
  const databaseUrl = await freshTestDatabase('conformance');
  const started = await Promise.allSettled(
    PROTOCOLS.map((protocol) =>
      startService(protocol, {
        env: { DATABASE_URL: databaseUrl, API_KEYS: KEY },
      }),
    ),
  );
  const running = started.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(running.map((service) => service.stop()));
    throw failed.reason;
  }
  const services = Object.fromEntries(
    PROTOCOLS.map((protocol, index) => {
      const service = running[index]!;
      const replica = { url: service.url, stop: async () => void (await service.stop()) };
      return [protocol, { url: service.url, replicas: [replica] }];
    }),
  ) as RunningBookshop['services'];
  return {
    services,
    gatewayTrouble: () => [],
    trouble: () =>
      running
        .flatMap((service, index) =>
          service.logs
            .map((entry) => JSON.stringify(entry))
            .filter(serviceTrouble)
            .map((line) => `${PROTOCOLS[index]}: ${line.slice(0, 600)}`),
        )
        .slice(-60),
    stop: async () => {
      await Promise.all(running.map((service) => service.stop()));
    },
  };
}

/** What a call came to, in terms every protocol can show: success, or a code with its details. */
export type Outcome = 'ok' | { code: ErrorCode; paths?: string[]; shortages?: StockShortage[] };

/**
 * Runs a call and reduces its result to an {@link Outcome}. Ids in shortages
 * are replaced by the names in `names`, so that a scenario's expected outcome
 * can be written once for every run. Anything that is not a BookshopError
 * (a crash, a protocol error) fails the scenario as it is.
 */
export async function outcome(
  call: Promise<unknown>,
  names: Record<string, string> = {},
): Promise<Outcome> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    if (!(error instanceof BookshopError)) throw error;
    const details = error.details ?? [];
    const paths = details.flatMap((d) => ('path' in d ? [d.path] : []));
    const shortages = details.flatMap((d) =>
      'bookId' in d ? [{ ...d, bookId: names[d.bookId] ?? d.bookId }] : [],
    );
    return {
      code: error.code,
      ...(paths.length > 0 ? { paths } : {}),
      ...(shortages.length > 0 ? { shortages } : {}),
    };
  }
}

/** The expected outcome of a failure, for the scenario table. */
export function fails(code: ErrorCode, paths?: string[]): Outcome {
  return { code, ...(paths ? { paths } : {}) };
}

export function short(...shortages: StockShortage[]): Outcome {
  return { code: 'OUT_OF_STOCK', shortages };
}

/**
 * Resolves when `check` holds, polling; for effects that arrive asynchronously
 * (events). `probe`, if given, runs before each check (a request whose outcome
 * the check reads).
 */
export async function eventually(
  check: () => boolean,
  describe: () => string,
  timeoutMs = 15_000,
  probe?: () => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await probe?.();
    if (check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export { uniqueIsbn } from '@bookshop/testing';
