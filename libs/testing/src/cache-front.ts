import { readFileSync } from 'node:fs';
import { GenericContainer, Wait } from 'testcontainers';
import { runLabels } from './container-runtime';
import { NGINX_IMAGE } from './images';
import { GATEWAY_CONFIG } from './service-containers';

/** The gateway's nginx as an HTTP cache in front of one REST service on this host. */
export interface CacheFront {
  /** Where to send reads so the cache answers what it may. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the gateway's nginx (deploy/gateway/nginx.conf as committed, its
 * `proxy_cache` included) with its REST upstream at `restUrl`, a service on
 * this host listening on every address (HOST=0.0.0.0), which the container
 * reaches through the host's bridge address. The gateway's other upstreams
 * name the host too; only REST is meant to be called.
 */
export async function startCacheFront(restUrl: string): Promise<CacheFront> {
  const port = new URL(restUrl).port;
  const config = readFileSync(GATEWAY_CONFIG, 'utf8').replace(
    'server rest:3001',
    `server rest:${port}`,
  );
  const container = await new GenericContainer(NGINX_IMAGE)
    .withLabels({ 'org.bookshop.test': 'true', ...runLabels() })
    .withExtraHosts(
      ['rest', 'soap', 'graphql', 'jsonrpc', 'websocket', 'explorer'].map((host) => ({
        host,
        ipAddress: 'host-gateway',
      })),
    )
    .withCopyContentToContainer([{ content: config, target: '/etc/nginx/nginx.conf' }])
    .withExposedPorts(8080)
    .withWaitStrategy(Wait.forHttp('/health/ready', 8080).forStatusCode(200))
    .withStartupTimeout(30_000)
    .start();
  return {
    url: `http://${container.getHost()}:${container.getMappedPort(8080)}`,
    stop: async () => {
      await container.stop();
    },
  };
}
