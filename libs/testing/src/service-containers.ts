import { DEFAULT_PORTS } from '@bookshop/domain';
import {
  GenericContainer,
  Network,
  type StartedNetwork,
  type StartedTestContainer,
  Wait,
} from 'testcontainers';
import { join } from 'node:path';
import { prepareContainerRuntime, runLabels } from './container-runtime';
import { NGINX_IMAGE } from './images';
import { databaseFaults, type TestPostgres, testPostgresContainer } from './postgres';

/** The five services' images (`npx nx run-many -t container`): IMAGE_PREFIX/<service>:IMAGE_TAG. */
export function serviceImage(service: string): string {
  return `${process.env['IMAGE_PREFIX'] || 'bookshop'}/${service}:${process.env['IMAGE_TAG'] || 'latest'}`;
}

/**
 * How the black-box suites run the services: `processes` (the built bundles as
 * local processes, the default: fast), `containers` (their images, on a
 * network of their own with a Postgres container: what is deployed) or
 * `gateway` (two replicas of each image behind deploy/gateway's nginx: what
 * is deployed when one machine is not enough).
 */
export function serviceTarget(): 'processes' | 'containers' | 'gateway' {
  const target = process.env['BOOKSHOP_SERVICES'];
  return target === 'containers' || target === 'gateway' ? target : 'processes';
}

export interface ServiceContainers {
  /** `http://<host>:<mapped port>` per service: its first replica. */
  urls: Record<string, string>;
  /** Every replica of each service, in start order, reached directly (not through the gateway). */
  replicas: Record<string, ServiceReplica[]>;
  /** The gateway, when one was asked for: `http://<host>:<mapped port>`. */
  gateway?: string;
  /**
   * What the gateway said that a failed case needs: its error log and every
   * access line with a `5xx` status (what it tried upstream, and with what
   * answer), the latest 200. Empty without a gateway.
   */
  gatewayTrouble(): string[];
  /**
   * What a failed case needs to know of the run so far: the database's lines
   * about a server process that ended or a connection it refused, and every
   * replica's latest warnings and errors (the cause of an UNAVAILABLE among
   * them). Empty while there was none.
   */
  trouble(): string[];
  /** Faults of the one Postgres every replica shares (pause and unpause keep its address). */
  database: TestPostgres['faults'];
  stop(): Promise<void>;
}

export interface ServiceReplica {
  url: string;
  /** Stops the replica the way an orchestrator does: SIGTERM, then SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface ServiceContainersOptions {
  /** Replicas per service (default 1), all named by the service on the network. */
  replicas?: Partial<Record<string, number>>;
  /** Puts deploy/gateway/nginx.conf in front, on port 8080 (it routes `/` to the explorer: start it too). */
  gateway?: boolean;
}

/** The gateway's configuration, as committed. */
export const GATEWAY_CONFIG = join(__dirname, '../../../deploy/gateway/nginx.conf');
const GATEWAY_PORT = 8080;

const PORTS: Record<string, number> = DEFAULT_PORTS;

/** Postgres's lines about a server process that died, and the restart that follows. */
const DATABASE_TROUBLE =
  /PANIC|terminated by signal|exited with exit code|terminating any other|out of memory|No space left|too many clients|not properly shut down/;

/**
 * Whether a service's log line says something went wrong: an error (pino's
 * JSON: level 50 and up, a request answered 5xx among them), or a warning of
 * its own (the database's errors); not a request answered 4xx, the caller's.
 */
export function serviceTrouble(line: string): boolean {
  const level = /^\{"level":(\d+),/.exec(line)?.[1];
  return Number(level) >= 50 || (level === '40' && !line.includes('"req":{'));
}

/**
 * Whether a line of the gateway's output says something went wrong: an error
 * log line (nginx's own format), or an access line (deploy/gateway's JSON) whose
 * status is a 5xx.
 */
export function gatewayTrouble(line: string): boolean {
  const text = line.trim();
  if (!text) return false;
  if (!text.startsWith('{')) return /\[(warn|error|crit|alert|emerg)\]/.test(text);
  try {
    return Number((JSON.parse(text) as { status?: unknown }).status) >= 500;
  } catch {
    return true;
  }
}

/** Appends `line` to `lines`, dropping the oldest beyond `max`. */
function keepLast(lines: string[], line: string, max: number): void {
  lines.push(line);
  if (lines.length > max) lines.shift();
}

/**
 * Starts the named services from their images, together (as replicas would
 * start), on one fresh Postgres container that only they can reach, and waits
 * until each is ready. Every replica of a service answers to the service's
 * name on the network (`rest`, …), as compose and Kubernetes name them, so the
 * gateway started last finds them all.
 */
export async function startServiceContainers(
  services: readonly string[],
  env: Record<string, string>,
  options: ServiceContainersOptions = {},
): Promise<ServiceContainers> {
  const replicaCount = (service: string) => options.replicas?.[service] ?? 1;
  await prepareContainerRuntime();
  const network: StartedNetwork = await new Network().start();
  const started: StartedTestContainer[] = [];
  const stop = async () => {
    await Promise.all(started.map((container) => container.stop().catch(() => undefined)));
    await network.stop().catch(() => undefined);
  };
  // The database's last lines, to say what it went through if a replica never turns ready.
  const databaseOutput: string[] = [];
  const databaseTrouble: string[] = [];
  // Every replica's warnings and errors, the latest 60, each named by its replica.
  const servicesSaid: string[] = [];
  try {
    const postgres = await testPostgresContainer()
      .withNetwork(network)
      .withNetworkAliases('postgres')
      .withLogConsumer((stream) =>
        stream.on('data', (line: string | Buffer) => {
          const text = String(line).trimEnd();
          keepLast(databaseOutput, text, 30);
          // What a crash says comes once, before a flood of "in recovery mode" lines.
          if (DATABASE_TROUBLE.test(text) && databaseTrouble.length < 20)
            databaseTrouble.push(text);
        }),
      )
      .start();
    started.push(postgres);
    const startReplica = async (
      service: string,
      index: number,
    ): Promise<[string, ServiceReplica]> => {
      const port = PORTS[service];
      if (!port) throw new Error(`unknown service ${service}`);
      // Its last lines, to say why if it never turns ready.
      const output: string[] = [];
      let container: StartedTestContainer;
      try {
        container = await new GenericContainer(serviceImage(service))
          .withLabels({ 'org.bookshop.test': 'true', ...runLabels() })
          .withNetwork(network)
          .withNetworkAliases(service, `${service}-${index + 1}`)
          .withEnvironment({
            DATABASE_URL: 'postgres://bookshop:bookshop@postgres:5432/bookshop',
            ...env,
          })
          .withExposedPorts(port)
          .withLogConsumer((stream) =>
            stream.on('data', (line: string | Buffer) => {
              const text = String(line).trimEnd();
              keepLast(output, text, 30);
              if (serviceTrouble(text))
                keepLast(servicesSaid, `${service}-${index + 1}: ${text.slice(0, 600)}`, 60);
            }),
          )
          .withWaitStrategy(Wait.forHttp('/health/ready', port).forStatusCode(200))
          .withStartupTimeout(180_000)
          .start();
      } catch (error) {
        throw new Error(
          `${service} replica ${index + 1} did not turn ready: ${(error as Error).message}\n${output.join('\n')}\n` +
            `the database's last lines:\n${databaseOutput.join('\n')}` +
            (databaseTrouble.length
              ? `\nwhat it went through:\n${databaseTrouble.join('\n')}`
              : ''),
        );
      }
      started.push(container);
      const url = `http://${container.getHost()}:${container.getMappedPort(port)}`;
      return [
        service,
        {
          url,
          stop: async (timeoutMs = 10_000) => {
            await container.stop({ timeout: timeoutMs, remove: true });
          },
        },
      ];
    };
    // One replica of each service at a time (first replicas, then second ones),
    // so that ten starts do not contend for two cores and the database's
    // connection handshakes at once. Every start of a wave is awaited, failed
    // or not, so that the `stop` below reaches each container that did start.
    const settled: PromiseSettledResult<[string, ServiceReplica]>[] = [];
    const waves = Math.max(...services.map(replicaCount));
    for (let wave = 0; wave < waves && !settled.some((r) => r.status === 'rejected'); wave++) {
      settled.push(
        ...(await Promise.allSettled(
          services
            .filter((service) => wave < replicaCount(service))
            .map((service) => startReplica(service, wave)),
        )),
      );
    }
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const replicas = settled.flatMap((result) =>
      result.status === 'fulfilled' ? [result.value] : [],
    );
    const byService: Record<string, ServiceReplica[]> = {};
    for (const [service, replica] of replicas) (byService[service] ??= []).push(replica);
    const urls = Object.fromEntries(
      Object.entries(byService).flatMap(([service, [first]]) =>
        first ? [[service, first.url]] : [],
      ),
    );
    const database = databaseFaults(postgres.getId());
    const trouble = () => [...databaseTrouble.map((line) => `postgres: ${line}`), ...servicesSaid];
    if (!options.gateway)
      return { urls, replicas: byService, gatewayTrouble: () => [], trouble, database, stop };

    const said: string[] = [];

    const gateway = await new GenericContainer(NGINX_IMAGE)
      .withLabels({ 'org.bookshop.test': 'true', ...runLabels() })
      .withNetwork(network)
      .withCopyFilesToContainer([{ source: GATEWAY_CONFIG, target: '/etc/nginx/nginx.conf' }])
      .withExposedPorts(GATEWAY_PORT)
      .withLogConsumer((stream) =>
        stream.on('data', (chunk: string | Buffer) => {
          for (const line of String(chunk).split('\n')) {
            if (!gatewayTrouble(line)) continue;
            keepLast(said, line, 200);
          }
        }),
      )
      .withWaitStrategy(Wait.forHttp('/health/ready', GATEWAY_PORT).forStatusCode(200))
      .withStartupTimeout(30_000)
      .start();
    started.push(gateway);
    return {
      urls,
      replicas: byService,
      gateway: `http://${gateway.getHost()}:${gateway.getMappedPort(GATEWAY_PORT)}`,
      gatewayTrouble: () => [...said],
      trouble,
      database,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
