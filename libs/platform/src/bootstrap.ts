import { type AddressInfo } from 'node:net';
import { type IncomingMessage } from 'node:http';
import { type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { createServer, Server as NetServer, type Socket } from 'node:net';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ConfigError, loadConfig, type ServiceConfig } from './config';
import { ConnectionLimiter } from './connection-limits';
import { createLogger, StartupLogger } from './log-output';
import { callRecordsOf, isRoutinePoll, logRequests, requestIdOf, requestPathOf } from './logging';
import { Telemetry, withCallRecords } from './telemetry';
import { traceRequests } from './request-spans';
import { stopTracing, tracingStarted } from './tracing';
import { MAX_BODY_BYTES } from './tokens';

import {
  answerClientError,
  classifyFrameworkError,
  type TransportErrorRenderer,
  type TransportFailure,
} from './transport-errors';
import { DEFAULT_PORTS, DomainError, type ServiceName } from '@bookshop/domain';
import { type Landing, serveLanding } from './landing';

/**
 * The most of a refused body a service reads and throws away to keep the
 * connection (the gateway passes up to 2 MiB): four times the limit.
 */
const DISCARD_REFUSED_BODY_BYTES = 4 * MAX_BODY_BYTES;

/** A path segment (an id) may be this long before the router refuses the URL (414, BAD_REQUEST). */
export const MAX_PARAM_LENGTH = 512;

export interface ServiceDefinition<S = undefined> {
  /** The service's name, in logs and messages; its port when PORT is unset is DEFAULT_PORTS[name]. */
  name: ServiceName;
  /** The service's own settings, read from the environment with the shared ones; throw ConfigError when bad. */
  settings?: (env: Record<string, string | undefined>, config: ServiceConfig) => S;
  /** The root module, given the validated config. */
  module: (config: ServiceConfig, settings: S) => Type | DynamicModule;
  /** Protocol-specific setup before the server listens (documents, parsers, adapters). */
  configure?: (
    app: NestFastifyApplication,
    config: ServiceConfig,
    settings: S,
  ) => Promise<void> | void;
  /** What `GET /` tells a reader about the service (the explorer has a page of its own there). */
  landing?: Landing;
  /** Nest's JSON and form parsers (default on); a service that parses bodies itself turns them off. */
  bodyParser?: boolean;
  /**
   * Shows a failure the HTTP layer found before any handler ran (a malformed
   * URL, headers over 16 KiB) in the protocol's own error shape.
   */
  renderTransportError: TransportErrorRenderer;
}

/**
 * Starts a service: validates the environment (a bad value is reported by
 * name and the process exits 1, without a stack trace), builds the Nest
 * application on Fastify with the body limit and request ids, logs
 * `{"event":"listening","url":…}` once it accepts connections, and stops
 * gracefully on SIGTERM/SIGINT: in-flight requests finish, then the database
 * closes, within SHUTDOWN_TIMEOUT_MS.
 */
export async function runService<S = undefined>(
  definition: ServiceDefinition<S>,
): Promise<NestFastifyApplication | undefined> {
  let config: ServiceConfig;
  let settings: S;
  try {
    config = loadConfig(process.env, definition);
    settings = definition.settings ? definition.settings(process.env, config) : (undefined as S);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
    return undefined;
  }

  const startupLog = createLogger(config.service, config.logFormat, config.logLevel);
  const failed = (reason: string) => {
    startupLog.fatal(
      { event: 'startup-failed', reason },
      `The ${config.service} service could not start: ${reason}`,
    );
    process.exitCode = 1;
    return undefined;
  };

  // A port another process holds is found before anything starts, in one line.
  const busy = await portFailure(config);
  if (busy) return failed(busy);

  let app: NestFastifyApplication;
  try {
    app = await NestFactory.create<NestFastifyApplication>(
      definition.module(config, settings),
      new FastifyAdapter({
        bodyLimit: MAX_BODY_BYTES,
        // While it drains on SIGTERM, a request that still arrives on an open
        // connection is served as usual, with `Connection: close`, not refused
        // with Fastify's own 503 (a body in no protocol's shape, which a proxy
        // does not retry for a POST): the caller's next request opens a new
        // connection, which a gateway sends to another replica.
        return503OnClosing: false,
        // Behind the gateway: request.ip is the caller's (TRUST_PROXY).
        trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
        routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
        genReqId: (req: unknown) => requestIdOf(req as IncomingMessage),
        // The router's own refusals and Node's parser errors, in the protocol's shape.
        frameworkErrors: (
          error: { code?: string },
          request: FastifyRequest,
          reply: FastifyReply,
        ) => {
          const failure: TransportFailure = classifyFrameworkError(error) ?? {
            status: 500,
            error: new DomainError('INTERNAL', 'An unexpected error occurred'),
          };
          const rendered = definition.renderTransportError(failure, {
            requestId: requestIdOf(request.raw),
            path: requestPathOf(request.raw),
          });
          void reply
            .status(rendered.status)
            .header('content-type', rendered.contentType)
            .send(rendered.body);
        },
        clientErrorHandler: (error: Error & { code?: string }, socket: Socket) =>
          answerClientError(error, socket, definition.renderTransportError),
      }),
      {
        logger: new StartupLogger(startupLog),
        bufferLogs: true,
        abortOnError: false,
        bodyParser: definition.bodyParser ?? true,
      },
    );
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  }

  const logger = app.get(Logger);
  app.useLogger(logger);
  app.flushLogs();
  if (config.usingDevKey) {
    logger.warn(
      'API_KEYS is unset: writes accept the development key "dev-key". Set API_KEYS outside development.',
      'Bootstrap',
    );
  }

  const fastify = app.getHttpAdapter().getInstance();
  // First, so a request's line covers all of it (a wait for a slot on its connection
  // included), and everything after runs in its logging context.
  logRequests(fastify, await app.resolve(PinoLogger));
  // Next, so every later hook and the handler run in the request's span.
  // Probes and scrapes would drown the traces that matter.
  if (tracingStarted()) traceRequests(fastify, isRoutinePoll);
  // Every response names its request id, the same one the logs and error bodies carry;
  // while the service drains, each response closes its connection (see stopGracefully).
  const drain = { on: false };
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', requestIdOf(request.raw));
    if (drain.on) void reply.header('connection', 'close');
    done();
  });
  // A body over the limit is refused before it is read, and Fastify then closes the
  // connection: with the rest of the body still arriving, the close resets it, and a
  // proxy that was still sending it (the gateway) loses the answer and gives 502. So the
  // connection stays open, and the rest is read and thrown away, when the sender said
  // how much it is and that is within reason; past that, or draining, it closes. It is
  // the body left unread that decides, not the status: SOAP refuses it with a 500 fault.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (
      !request.raw.complete &&
      !drain.on &&
      Number(request.headers['content-length']) <= DISCARD_REFUSED_BODY_BYTES
    ) {
      reply.removeHeader('connection');
    }
    done(null, payload);
  });
  // A client that pipelines requests and never reads gets at most this many running at once.
  const connections = new ConnectionLimiter(config.maxRequestsInFlightPerConnection);
  fastify.addHook('onRequest', (request, _reply, done) => {
    connections.acquire(request.raw.socket, () => done());
  });
  fastify.addHook('onResponse', (request, _reply, done) => {
    connections.release(request.raw.socket);
    done();
  });
  // The five services have telemetry (PlatformModule); the explorer, which runs no operation, has none.
  const telemetry = telemetryOf(app);
  if (telemetry) observeRequests(fastify, telemetry);
  if (definition.landing) {
    serveLanding(
      fastify,
      config.service,
      definition.landing,
      process.env['EXPLORER_URL'] || `http://localhost:${DEFAULT_PORTS.explorer}/`,
    );
  }
  await definition.configure?.(app, config, settings);
  try {
    await app.listen(config.port, config.host);
  } catch (error) {
    await app.close().catch(() => undefined);
    return failed(listenFailure(error, config));
  }
  stopGracefully(app, config, logger, drain);

  const address = app.getHttpServer().address() as AddressInfo;
  const host = ['0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  logger.log(
    { event: 'listening', url },
    `The ${config.service} service listens on ${url}`,
    'Bootstrap',
  );
  return app;
}

function telemetryOf(app: NestFastifyApplication): Telemetry | undefined {
  try {
    return app.get(Telemetry, { strict: false });
  } catch {
    return undefined;
  }
}

/**
 * Each request's operation calls go onto its log line (the scope is entered
 * once the body is read: a stream's events would not carry it), and its body
 * and response sizes into the byte histograms. Probes and scrapes are left
 * out of both.
 */
function observeRequests(fastify: FastifyInstance, telemetry: Telemetry): void {
  fastify.addHook('preHandler', (request, _reply, done) => {
    withCallRecords(callRecordsOf(request.raw), done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    if (!isRoutinePoll(request.raw)) {
      const received = Number(request.headers['content-length'] ?? 0);
      if (received > 0) telemetry.countBytes('request', received);
      telemetry.countBytes('response', Number(reply.getHeader('content-length') ?? 0));
    }
    done();
  });
}

/** Why the service cannot listen where it is told to, or undefined when it can. */
async function portFailure(config: ServiceConfig): Promise<string | undefined> {
  if (config.port === 0) return undefined;
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', (error) => resolve(listenFailure(error, config)));
    probe.listen({ host: config.host, port: config.port, exclusive: true }, () =>
      probe.close(() => resolve(undefined)),
    );
  });
}

/** Why the server could not listen, in words that say what to change. */
export function listenFailure(
  error: unknown,
  config: Pick<ServiceConfig, 'host' | 'port'>,
): string {
  const address = `${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  switch ((error as { code?: string } | undefined)?.code) {
    case 'EADDRINUSE':
      return `${address} is already in use; stop the process that holds it or set PORT to another port`;
    case 'EACCES':
      return `no permission to listen on ${address}; set PORT to a port above 1023`;
    case 'EADDRNOTAVAIL':
      return `${address} is not an address of this machine; check HOST`;
    default:
      return `cannot listen on ${address}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * On SIGTERM or SIGINT: the service stops accepting connections at once (a
 * gateway connects to another replica instead), then for SHUTDOWN_DRAIN_MS
 * goes on serving the connections it has, each response closing its own
 * (`Connection: close`), so that a proxy's kept-open connections end after an
 * answer and never under a request; then in-flight requests finish, open
 * WebSockets are answered and closed with 1001, and the database closes,
 * all within SHUTDOWN_TIMEOUT_MS of the signal.
 */
function stopGracefully(
  app: NestFastifyApplication,
  config: ServiceConfig,
  logger: Logger,
  drain: { on: boolean },
): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log({ event: 'stopping', signal }, `Received ${signal}; stopping`, 'Bootstrap');
    setTimeout(() => {
      logger.error(
        { event: 'stop-timeout' },
        `Did not stop within ${config.shutdownTimeoutMs} ms; exiting`,
        'Bootstrap',
      );
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    drain.on = true;
    // net.Server's close, not http.Server's: no new connection, the open ones kept.
    const server = app.getHttpServer();
    if (server.listening) NetServer.prototype.close.call(server);
    setTimeout(() => {
      app
        .close()
        .then(() => stopTracing())
        .then(
          () => logger.log({ event: 'stopped' }, 'Stopped', 'Bootstrap'),
          (error: unknown) => {
            logger.error({ event: 'stop-failed', err: error }, 'Stopping failed', 'Bootstrap');
            process.exitCode = 1;
          },
        );
    }, config.shutdownDrainMs);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
