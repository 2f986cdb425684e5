import { PROTOCOLS } from '@bookshop/clients';
import { DEFAULT_PORTS } from '@bookshop/domain';
import { ConfigError, DEV_API_KEY, type ServiceConfig } from '@bookshop/platform';
import { type Targets } from './exchange';

export interface ExplorerSettings {
  /** Where the explorer reaches each service: `EXPLORER_<PROTOCOL>_URL`, default loopback at its port. */
  targets: Targets;
  /**
   * The port a browser reaches each service on, for the page's links and its
   * event subscriptions: `EXPLORER_<PROTOCOL>_PUBLIC_PORT`, default the
   * target's (they differ behind a port mapping, as in compose); `null` for
   * all with `EXPLORER_BEHIND_GATEWAY=true`, when the browser reaches every
   * service at the page's own origin (deploy/gateway routes them by path).
   */
  publicPorts: Record<keyof Targets, number | null>;
  /** The key the explorer writes with: `EXPLORER_API_KEY`, else the first of `API_KEYS`, else `dev-key`. */
  apiKey: string;
}

export const EXPLORER_SETTINGS = Symbol('EXPLORER_SETTINGS');

export function loadExplorerSettings(
  env: Record<string, string | undefined>,
  config: ServiceConfig,
): ExplorerSettings {
  const problems: string[] = [];
  const targets = Object.fromEntries(
    PROTOCOLS.map((protocol) => {
      const name = `EXPLORER_${protocol.toUpperCase()}_URL`;
      const value = env[name] || `http://127.0.0.1:${DEFAULT_PORTS[protocol]}`;
      if (!/^https?:\/\/[^/]+\/?$/.test(value)) problems.push(`${name}: must be http://host:port`);
      return [protocol, value.replace(/\/$/, '')];
    }),
  ) as Targets;
  const gateway = env['EXPLORER_BEHIND_GATEWAY'] ?? 'false';
  if (!['true', 'false'].includes(gateway))
    problems.push('EXPLORER_BEHIND_GATEWAY: must be true or false');
  const publicPorts = Object.fromEntries(
    PROTOCOLS.map((protocol) => {
      if (gateway === 'true') return [protocol, null];
      const name = `EXPLORER_${protocol.toUpperCase()}_PUBLIC_PORT`;
      const value = env[name] || (/:(\d+)$/.exec(targets[protocol])?.[1] ?? '80');
      if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535)
        problems.push(`${name}: must be a port, 1–65535`);
      return [protocol, Number(value)];
    }),
  ) as Record<keyof Targets, number | null>;
  if (problems.length > 0) {
    throw new ConfigError(
      `Invalid configuration for the explorer service:\n  ${problems.join('\n  ')}`,
    );
  }
  const apiKey = env['EXPLORER_API_KEY'] || config.apiKeys[0] || DEV_API_KEY;
  return { targets, publicPorts, apiKey };
}
