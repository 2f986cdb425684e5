import { type LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { PinoPretty } from 'pino-pretty';
import { type LogFormat } from './config';

type Entry = Record<string, unknown>;

/** `GET /api/books 200 3 ms` for a request's line, with its calls and id after it. */
export function requestSummary(entry: Entry): string | undefined {
  const req = entry['req'] as { method?: string; url?: string; id?: string } | undefined;
  const res = entry['res'] as { statusCode?: number } | undefined;
  if (!req || !res) return undefined;
  const calls = (entry['calls'] as { operation: string; outcome: string; ms: number }[] | undefined)
    ?.map((call) => `${call.operation} ${call.outcome}`)
    .join(', ');
  const took = typeof entry['responseTime'] === 'number' ? ` ${entry['responseTime']} ms` : '';
  return `${req.method} ${req.url} ${res.statusCode}${took}${calls ? ` (${calls})` : ''} [${req.id}]`;
}

/**
 * Where log lines go. JSON lines to standard output by default; with `pretty`,
 * one coloured line per entry for a person at a terminal: time, level, the
 * service and the Nest context, the message (a request's line as
 * `GET /path 200 3 ms`), then any other fields. Written synchronously, so a
 * crash loses nothing.
 */
export function logDestination(format: LogFormat): DestinationStream | undefined {
  if (format === 'json') return undefined;
  return PinoPretty({
    sync: true,
    colorize: process.stdout.isTTY === true || process.stdin.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    singleLine: true,
    messageKey: 'msg',
    ignore: 'pid,hostname,service,context,req,res,responseTime,calls,event,reason',
    messageFormat: (entry: Entry, messageKey: string) => {
      const where = [entry['service'], entry['context']].filter(Boolean).join(' ');
      const text = entry[messageKey];
      const message = requestSummary(entry) ?? (typeof text === 'string' ? text : '');
      return where ? `[${where}] ${message}` : message;
    },
  });
}

/** A pino logger with the service's name on every line, in the chosen format. */
export function createLogger(service: string, format: LogFormat, level = 'info'): PinoLogger {
  const destination = logDestination(format);
  const options = { base: { service }, messageKey: 'msg', level };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Nest's logger until the application's own (nestjs-pino) takes over: the same
 * lines, in the same format. The error Nest reports when a module fails to
 * start is left out, since `runService` reports the failure itself, once and
 * in one line.
 */
export class StartupLogger implements LoggerService {
  constructor(private readonly logger: PinoLogger) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  error(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    if (context === 'ExceptionHandler') return;
    this.write('error', message, typeof context === 'string' ? context : undefined);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }

  private write(level: pino.Level, message: unknown, context: string | undefined): void {
    const text = message instanceof Error ? message.message : String(message);
    this.logger[level](context ? { context } : {}, text);
  }
}
