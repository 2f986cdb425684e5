import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { DEFAULT_PORTS } from '@bookshop/domain';
import {
  GenericContainer,
  Network,
  type StartedNetwork,
  type StartedTestContainer,
  Wait,
} from 'testcontainers';
import { prepareContainerRuntime, runLabels } from './container-runtime';
import { POSTGRES_IMAGE } from './images';

/** The five services' images (`npx nx run-many -t container`): IMAGE_PREFIX/<service>:IMAGE_TAG. */
export function serviceImage(service: string): string {
  return `${process.env['IMAGE_PREFIX'] || 'bookshop'}/${service}:${process.env['IMAGE_TAG'] || 'latest'}`;
}

/**
 * How the black-box suites run the services: `processes` (the built bundles as
 * local processes, the default: fast) or `containers` (their images, on a
 * network of their own with a Postgres container: what is deployed).
 */
export function serviceTarget(): 'processes' | 'containers' {
  return process.env['BOOKSHOP_SERVICES'] === 'containers' ? 'containers' : 'processes';
}

export interface ServiceContainers {
  /** `http://<host>:<mapped port>` per service. */
  urls: Record<string, string>;
  stop(): Promise<void>;
}

const PORTS: Record<string, number> = DEFAULT_PORTS;

/**
 * Starts the named services from their images, together (as replicas would
 * start), on one fresh Postgres container that only they can reach, and waits
 * until each is ready.
 */
export async function startServiceContainers(
  services: readonly string[],
  env: Record<string, string>,
): Promise<ServiceContainers> {
  await prepareContainerRuntime();
  const network: StartedNetwork = await new Network().start();
  const started: StartedTestContainer[] = [];
  const stop = async () => {
    await Promise.all(started.map((container) => container.stop().catch(() => undefined)));
    await network.stop().catch(() => undefined);
  };
  try {
    const postgres = await new PostgreSqlContainer(POSTGRES_IMAGE)
      .withDatabase('bookshop')
      .withUsername('bookshop')
      .withPassword('bookshop')
      .withLabels({ 'org.bookshop.test': 'true', ...runLabels() })
      .withNetwork(network)
      .withNetworkAliases('postgres')
      .start();
    started.push(postgres);
    const containers = await Promise.all(
      services.map(async (service) => {
        const port = PORTS[service];
        if (!port) throw new Error(`unknown service ${service}`);
        const container = await new GenericContainer(serviceImage(service))
          .withLabels({ 'org.bookshop.test': 'true', ...runLabels() })
          .withNetwork(network)
          .withEnvironment({
            DATABASE_URL: 'postgres://bookshop:bookshop@postgres:5432/bookshop',
            ...env,
          })
          .withExposedPorts(port)
          .withWaitStrategy(Wait.forHttp('/health/ready', port).forStatusCode(200))
          .withStartupTimeout(90_000)
          .start();
        started.push(container);
        return [service, `http://${container.getHost()}:${container.getMappedPort(port)}`] as const;
      }),
    );
    return { urls: Object.fromEntries(containers), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
