import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BookshopEvent, DEFAULT_PORTS, DomainError } from '@bookshop/domain';
import { type CallRecord, Telemetry, TELEMETRY, withCallRecords } from './telemetry';
import { tracingRequested } from './tracing';

const DEPLOY = join(__dirname, '../../../deploy/observability');

/** One sample of the exposition: its value, or undefined when the series is absent. */
async function sample(telemetry: Telemetry, series: string): Promise<number | undefined> {
  const [name, labels = ''] = series.replace('}', '').split('{');
  const wanted = labels.split(',').filter(Boolean);
  const text = await telemetry.registry.metrics();
  const line = text.split('\n').find((candidate) => {
    const match = /^([a-z_]+)\{([^}]*)\} /.exec(candidate);
    if (!match || match[1] !== name) return false;
    const have = match[2]!.split(',');
    return wanted.length === have.length && wanted.every((pair) => have.includes(pair));
  });
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('Telemetry', () => {
  it('counts and times each call by operation, protocol and outcome, and records it on its request', async () => {
    const telemetry = new Telemetry('jsonrpc');
    const calls: CallRecord[] = [];
    await withCallRecords(calls, async () => {
      await telemetry.observe('books.get', () => Promise.resolve('found'));
      await expect(
        telemetry.observe('books.get', () => Promise.reject(DomainError.notFound('book', 'x'))),
      ).rejects.toThrow();
      await expect(
        telemetry.observe('books.get', () => Promise.reject(new Error('boom'))),
      ).rejects.toThrow('boom');
      telemetry.refused('authors.create', 'UNAUTHENTICATED');
    });
    const labels = (operation: string, outcome: string) =>
      `{operation="${operation}",protocol="jsonrpc",outcome="${outcome}",service="bookshop-jsonrpc"}`;
    expect(await sample(telemetry, `${TELEMETRY.operations}${labels('books.get', 'ok')}`)).toBe(1);
    expect(
      await sample(telemetry, `${TELEMETRY.operations}${labels('books.get', 'NOT_FOUND')}`),
    ).toBe(1);
    expect(
      await sample(telemetry, `${TELEMETRY.operations}${labels('books.get', 'INTERNAL')}`),
    ).toBe(1);
    expect(
      await sample(
        telemetry,
        `${TELEMETRY.operations}${labels('authors.create', 'UNAUTHENTICATED')}`,
      ),
    ).toBe(1);
    expect(calls.map(({ operation, outcome }) => `${operation} ${outcome}`)).toEqual([
      'books.get ok',
      'books.get NOT_FOUND',
      'books.get INTERNAL',
      'authors.create UNAUTHENTICATED',
    ]);
  });

  it('counts a subscription while it is open and each event’s lag as it is taken', async () => {
    const telemetry = new Telemetry('websocket');
    const events = [
      { seq: 1, type: 'author.created', occurredAt: new Date().toISOString(), data: {} },
    ] as BookshopEvent[];
    let closed = false;
    const observed = telemetry.observeSubscription({
      close: () => (closed = true),
      [Symbol.asyncIterator]: () => {
        const iterator = events.values();
        return {
          next: () => Promise.resolve(iterator.next()),
          return: () => Promise.resolve({ done: true as const, value: undefined }),
        };
      },
    });
    const gauge = `${TELEMETRY.subscriptions}{protocol="websocket",service="bookshop-websocket"}`;
    expect(await sample(telemetry, gauge)).toBe(1);
    const taken = [];
    for await (const event of observed) taken.push(event);
    expect(taken).toHaveLength(1);
    expect(
      await sample(
        telemetry,
        `${TELEMETRY.deliveryLag}_count{protocol="websocket",service="bookshop-websocket"}`,
      ),
    ).toBe(1);
    expect(await sample(telemetry, gauge)).toBe(0);
    observed.close();
    expect(closed).toBe(true);
    expect(await sample(telemetry, gauge)).toBe(0);
  });
});

describe('tracingRequested', () => {
  it('is off unless an OTLP endpoint or an exporter is named, and OTEL_SDK_DISABLED wins', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(
      tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' }),
    ).toBe(true);
    expect(
      tracingRequested({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'x' }),
    ).toBe(false);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'zipkin' })).toBe(true);
    expect(
      tracingRequested({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }),
    ).toBe(false);
  });
});

describe('deploy/observability', () => {
  it('the dashboard queries only metrics the services serve', async () => {
    const telemetry = new Telemetry('rest');
    telemetry.gaugeOnScrape(TELEMETRY.pool, 'pool', 'state', () => ({ idle: 1 }));
    const served = new Set((await telemetry.registry.getMetricsAsJSON()).map((m) => m.name));
    const dashboard = JSON.parse(
      readFileSync(join(DEPLOY, 'grafana/dashboards/bookshop.json'), 'utf8'),
    ) as { panels: { title: string; targets: { expr: string }[] }[] };
    const queried = dashboard.panels.flatMap((panel) =>
      panel.targets.flatMap((target) =>
        [...target.expr.matchAll(/\b((?:bookshop|process|nodejs)_[a-z_]+)\b/g)].map((match) =>
          match[1]!.replace(/_(bucket|sum|count)$/, ''),
        ),
      ),
    );
    expect(queried.length).toBeGreaterThan(10);
    expect([...new Set(queried)].filter((name) => !served.has(name))).toEqual([]);
    // Every operation metric the dashboard compares is labelled by protocol.
    expect(dashboard.panels.map((panel) => panel.title)).toContain(
      'p99 latency, by operation and protocol',
    );
  });

  it('Prometheus scrapes each of the five on its port', () => {
    const config = readFileSync(join(DEPLOY, 'prometheus.yml'), 'utf8');
    for (const name of ['rest', 'soap', 'graphql', 'jsonrpc', 'websocket'] as const)
      expect(config).toContain(`'${name}:${DEFAULT_PORTS[name]}'`);
  });
});
