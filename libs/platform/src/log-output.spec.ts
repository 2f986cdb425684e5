import { Writable } from 'node:stream';
import pino from 'pino';
import { listenFailure } from './bootstrap';
import { logDestination, requestSummary, StartupLogger } from './log-output';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe('requestSummary', () => {
  it('shows a request’s line as method, path, status, time, calls and id', () => {
    expect(
      requestSummary({
        req: { method: 'POST', url: '/rpc', id: 'r-1' },
        res: { statusCode: 200 },
        responseTime: 4,
        calls: [
          { operation: 'books.get', outcome: 'ok', ms: 1 },
          { operation: 'orders.place', outcome: 'OUT_OF_STOCK', ms: 2 },
        ],
      }),
    ).toBe('POST /rpc 200 4 ms (books.get ok, orders.place OUT_OF_STOCK) [r-1]');
  });

  it('leaves other lines alone', () => {
    expect(requestSummary({ msg: 'Database ready' })).toBeUndefined();
  });
});

describe('logDestination', () => {
  it('is standard output, as JSON lines, unless pretty is asked for', () => {
    expect(logDestination('json')).toBeUndefined();
    expect(logDestination('pretty')).toBeDefined();
  });
});

describe('StartupLogger', () => {
  it('writes Nest’s start-up lines with their context, as the service’s logger does', () => {
    const { lines, stream } = capture();
    const logger = new StartupLogger(
      pino({ base: { service: 'rest' }, messageKey: 'msg' }, stream),
    );
    logger.log('Starting Nest application...', 'NestFactory');
    logger.warn('careful', 'Bootstrap');
    const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toMatchObject({ level: 30, service: 'rest', context: 'NestFactory' });
    expect(first?.['msg']).toBe('Starting Nest application...');
    expect(second).toMatchObject({ level: 40, context: 'Bootstrap', msg: 'careful' });
  });

  it('leaves the failure of a module to the one line runService writes', () => {
    const { lines, stream } = capture();
    const logger = new StartupLogger(pino({ messageKey: 'msg' }, stream));
    logger.error(new Error('connect ECONNREFUSED'), 'stack…', 'ExceptionHandler');
    logger.error('a route could not be mapped', 'RouterExplorer');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 50, context: 'RouterExplorer' });
  });
});

describe('listenFailure', () => {
  const config = { host: '0.0.0.0', port: 3001 };
  const failure = (code: string) => Object.assign(new Error(code), { code });

  it('says what to change for a port in use, a privileged port and a foreign address', () => {
    expect(listenFailure(failure('EADDRINUSE'), config)).toBe(
      '0.0.0.0:3001 is already in use; stop the process that holds it or set PORT to another port',
    );
    expect(listenFailure(failure('EACCES'), { host: '::', port: 80 })).toMatch(
      /^no permission to listen on \[::\]:80; set PORT/,
    );
    expect(listenFailure(failure('EADDRNOTAVAIL'), config)).toMatch(/check HOST$/);
    expect(listenFailure(new Error('odd'), config)).toBe('cannot listen on 0.0.0.0:3001: odd');
  });
});
