import { z } from 'zod';
import { DEFAULT_PORTS, type ServiceName } from '@bookshop/domain';
import { type RateLimitSettings } from './rate-limits';
import { compileTrust, trustList } from './client-address';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** The key that works outside production when API_KEYS is unset. */
export const DEV_API_KEY = 'dev-key';

/** true/false (or 1/0); undefined when unset, for a default that depends on other settings. */
const flag = z
  .enum(['true', 'false', '1', '0'], 'must be true or false')
  .optional()
  .transform((value) => (value === undefined ? undefined : value === 'true' || value === '1'));

const milliseconds = z
  .string()
  .regex(/^[1-9]\d*$/, 'must be a positive number of milliseconds')
  .transform(Number);

/** A count; 0 turns the limit off. */
const count = z
  .string()
  .regex(/^\d+$/, 'must be a whole number (0 turns the limit off)')
  .transform(Number);

const environment = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], 'must be development, production or test')
    .default('development'),
  PORT: z
    .string()
    .regex(/^\d+$/, 'must be a port number')
    .transform(Number)
    .refine((port) => port <= 65535, 'must be a port number (0–65535)')
    .optional(),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  PGLITE_DIR: z.string().min(1).optional(),
  DATABASE_POOL_SIZE: z
    .string()
    .regex(/^[1-9]\d*$/, 'must be a positive integer')
    .transform(Number)
    .default(10),
  DATABASE_TIMEOUT_MS: milliseconds.default(5000),
  DATABASE_CONNECT_TIMEOUT_MS: milliseconds.optional(),
  DATABASE_STATEMENT_TIMEOUT_MS: milliseconds.optional(),
  DATABASE_PING_TIMEOUT_MS: milliseconds.default(1000),
  API_KEYS: z.string().optional(),
  TRUST_PROXY: z
    .string()
    .refine((value) => {
      try {
        compileTrust(value);
        return true;
      } catch {
        return false;
      }
    }, 'must be addresses or CIDR ranges of the proxies in front, comma-separated (or loopback, linklocal, uniquelocal)')
    .optional(),
  HTTP_MAX_IN_FLIGHT_PER_CONNECTION: z
    .string()
    .regex(/^[1-9]\d*$/, 'must be a positive integer')
    .transform(Number)
    .default(8),
  RATE_LIMIT_WINDOW_MS: milliseconds.default(60_000),
  RATE_LIMIT_READS: count.default(12_000),
  RATE_LIMIT_WRITES: count.default(6000),
  RATE_LIMIT_AUTH_FAILURES: count.default(30),
  IDEMPOTENCY_RETENTION_HOURS: z
    .string()
    .regex(/^\d+$/, 'must be a whole number of hours')
    .transform(Number)
    .refine((hours) => hours >= 24, 'must be at least 24 (the contract keeps keys a day)')
    .default(24),
  SEED_DEMO_DATA: flag,
  METRICS: flag,
  LOG_LEVEL: z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`).default('info'),
  LOG_FORMAT: z.enum(LOG_FORMATS, `must be one of ${LOG_FORMATS.join(', ')}`).optional(),
  SHUTDOWN_TIMEOUT_MS: z
    .string()
    .regex(/^\d+$/, 'must be a number of milliseconds')
    .transform(Number)
    .default(10_000),
  SHUTDOWN_DRAIN_MS: z
    .string()
    .regex(/^\d+$/, 'must be a number of milliseconds')
    .transform(Number)
    .default(0),
});

/** A service's settings, read once at start from the environment. */
export interface ServiceConfig {
  service: string;
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  database: {
    url?: string;
    pgliteDir?: string;
    poolSize: number;
    /** Deadlines on Postgres (DATABASE_*_TIMEOUT_MS); see DatabaseTimeouts. */
    timeouts: { deadlineMs: number; connectMs?: number; statementMs?: number; pingMs: number };
  };
  apiKeys: string[];
  /**
   * The proxies whose `X-Forwarded-For` names the client (TRUST_PROXY; none by
   * default): behind a gateway, the client address the rate limits and spans
   * use is the caller's, not the gateway's.
   */
  trustProxy: string[];
  /** Requests one HTTP connection may have running at once (pipelining); more wait unread. */
  maxRequestsInFlightPerConnection: number;
  /** The shared rate limits (RATE_LIMIT_*). */
  rateLimits: RateLimitSettings;
  /** How long a write's idempotency key is kept, at least a day (IDEMPOTENCY_RETENTION_HOURS). */
  idempotencyRetentionMs: number;
  /** True when API_KEYS is unset and `dev-key` is accepted (never in production). */
  usingDevKey: boolean;
  seedDemoData: boolean;
  /** Serve Prometheus metrics at `/metrics` (METRICS; default on, off in production unless set). */
  metrics: boolean;
  logLevel: (typeof LOG_LEVELS)[number];
  /** JSON lines, or coloured lines for a person at a terminal (LOG_FORMAT; see `defaultLogFormat`). */
  logFormat: LogFormat;
  shutdownTimeoutMs: number;
  /**
   * After a stop signal, how long the service goes on answering on the
   * connections it has, closing each after its next answer, before it closes
   * them (SHUTDOWN_DRAIN_MS; default 0). Behind a proxy that keeps connections
   * open (deploy/gateway), this is what keeps a request from meeting a
   * connection closing under it.
   */
  shutdownDrainMs: number;
}

/**
 * The log format when LOG_FORMAT is unset: `pretty` when the output goes to a
 * terminal, JSON lines otherwise (a file, a pipe, a log collector). Under
 * `nx serve` the output is piped through Nx to the terminal, so there the
 * terminal is the one Nx shares as standard input.
 */
export function defaultLogFormat(
  env: Record<string, string | undefined> = process.env,
  stdoutIsTerminal = process.stdout.isTTY === true,
  stdinIsTerminal = process.stdin.isTTY === true,
): LogFormat {
  if (stdoutIsTerminal) return 'pretty';
  return env['NX_FILE_TO_RUN'] !== undefined && stdinIsTerminal ? 'pretty' : 'json';
}

/** A setting is wrong; the message names every bad variable and is fit to print as is. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads environment variables with a zod schema, empty values counting as
 * unset. Every problem is reported at once, by variable name, in a
 * ConfigError fit to print as is.
 */
export function parseEnvironment<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
  service: string,
): z.output<S> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration for the ${service} service:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/**
 * Validates the environment. Every problem is reported at once, by variable
 * name, with the value's fault, so a bad deployment says exactly what to fix.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  service: { name: ServiceName },
  logFormatWhenUnset: LogFormat = defaultLogFormat(env),
): ServiceConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environment.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(
      `Invalid configuration for the ${service.name} service:\n${lines.join('\n')}`,
    );
  }
  const values = parsed.data;
  const apiKeys = (values.API_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
  if (values.SHUTDOWN_DRAIN_MS >= values.SHUTDOWN_TIMEOUT_MS) {
    throw new ConfigError(
      `Invalid configuration for the ${service.name} service:\n  SHUTDOWN_DRAIN_MS: must be less than SHUTDOWN_TIMEOUT_MS (${values.SHUTDOWN_TIMEOUT_MS})`,
    );
  }
  if (values.NODE_ENV === 'production' && apiKeys.length === 0) {
    throw new ConfigError(
      `Invalid configuration for the ${service.name} service:\n  API_KEYS: must hold at least one key in production`,
    );
  }
  const usingDevKey = apiKeys.length === 0;
  return {
    service: service.name,
    nodeEnv: values.NODE_ENV,
    port: values.PORT ?? DEFAULT_PORTS[service.name],
    host: values.HOST,
    database: {
      url: values.DATABASE_URL,
      pgliteDir: values.PGLITE_DIR,
      poolSize: values.DATABASE_POOL_SIZE,
      timeouts: {
        deadlineMs: values.DATABASE_TIMEOUT_MS,
        connectMs: values.DATABASE_CONNECT_TIMEOUT_MS,
        statementMs: values.DATABASE_STATEMENT_TIMEOUT_MS,
        pingMs: values.DATABASE_PING_TIMEOUT_MS,
      },
    },
    apiKeys: usingDevKey ? [DEV_API_KEY] : apiKeys,
    trustProxy: values.TRUST_PROXY ? trustList(values.TRUST_PROXY) : [],
    maxRequestsInFlightPerConnection: values.HTTP_MAX_IN_FLIGHT_PER_CONNECTION,
    rateLimits: {
      windowMs: values.RATE_LIMIT_WINDOW_MS,
      reads: values.RATE_LIMIT_READS,
      writes: values.RATE_LIMIT_WRITES,
      authFailures: values.RATE_LIMIT_AUTH_FAILURES,
    },
    idempotencyRetentionMs: values.IDEMPOTENCY_RETENTION_HOURS * 3_600_000,
    usingDevKey,
    // The embedded database starts with the demo catalogue; Postgres only when asked.
    seedDemoData: values.SEED_DEMO_DATA ?? values.DATABASE_URL === undefined,
    // Metrics name the traffic a deployment serves: public in production only when asked.
    metrics: values.METRICS ?? values.NODE_ENV !== 'production',
    logLevel: values.LOG_LEVEL,
    logFormat: values.LOG_FORMAT ?? logFormatWhenUnset,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
    shutdownDrainMs: values.SHUTDOWN_DRAIN_MS,
  };
}
