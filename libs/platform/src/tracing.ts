/**
 * Tracing with the OpenTelemetry SDK, configured by the standard `OTEL_*`
 * variables and off unless they ask for it. Each app imports its own
 * `tracing.ts` first in `main.ts`, which calls `startTracing`: the `pg`
 * instrumentation patches that module when it is first loaded, so the SDK
 * must start before anything else is. HTTP server spans come from the
 * framework's hooks (`request-spans.ts`), not from patching `http`.
 *
 * This module imports nothing of Nest's or the service's, for that reason.
 */
import { NodeSDK } from '@opentelemetry/sdk-node';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';

let sdk: NodeSDK | undefined;

/**
 * True when the environment asks for traces: an OTLP endpoint, or an
 * exporter other than `none`, and the SDK not disabled.
 */
export function tracingRequested(env: Record<string, string | undefined> = process.env): boolean {
  if (env['OTEL_SDK_DISABLED']?.toLowerCase() === 'true') return false;
  const exporters = env['OTEL_TRACES_EXPORTER']?.trim();
  if (exporters) return exporters !== 'none';
  return Boolean(env['OTEL_EXPORTER_OTLP_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
}

/** True once `startTracing` has started the SDK. */
export function tracingStarted(): boolean {
  return sdk !== undefined;
}

/**
 * Starts the SDK when the environment asks for traces: the W3C trace-context
 * propagator, spans for Postgres queries, and so the request and operation
 * spans the platform makes. `service.name` is `bookshop-<app>`
 * unless OTEL_SERVICE_NAME says otherwise.
 */
export function startTracing(app: string): void {
  if (sdk || !tracingRequested()) return;
  // Metrics are Prometheus's (/metrics) and logs are pino's: the SDK sends
  // neither unless its own variables ask for it (its default would be OTLP for both).
  process.env['OTEL_METRICS_EXPORTER'] ??= 'none';
  process.env['OTEL_LOGS_EXPORTER'] ??= 'none';
  sdk = new NodeSDK({
    serviceName: process.env['OTEL_SERVICE_NAME'] ?? `bookshop-${app}`,
    instrumentations: [
      // Queries only: a span per pool checkout would double the spans and tell little.
      new PgInstrumentation({
        requireParentSpan: true,
        enhancedDatabaseReporting: false,
        ignoreConnectSpans: true,
      }),
    ],
  });
  sdk.start();
}

/** Sends the spans still buffered and stops the SDK; a no-op when tracing is off. */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown().catch(() => undefined);
}
