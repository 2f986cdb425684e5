/**
 * The configurations `tracing-cost` compares: instances of one REST build
 * that differ only in their `OTEL_*` settings, and the same build untraced.
 */

/** The instance every other is compared with: tracing off. */
export const REFERENCE = 'untraced';
/** The second untraced instance: what the method reads for no difference at all. */
export const CONTROL = 'untraced, again (control)';
/** Every request traced: the SDK's default sampler once an endpoint is set. */
export const EVERY_REQUEST = 'every request';

/** A configuration: its name, and the settings on top of the benchmark's. */
export type Variant = [string, Record<string, string>];

const NAMED: Record<number, string> = { 10: 'ten', 100: 'a hundred', 1000: 'a thousand' };

/** "one trace in ten" for 0.1; a ratio that is not one in a whole number keeps its digits. */
export function ratioName(ratio: number): string {
  const every = 1 / ratio;
  const whole = Math.round(every);
  if (Math.abs(every - whole) > 1e-9) return `traces at ratio ${ratio}`;
  return `one trace in ${NAMED[whole] ?? whole}`;
}

/**
 * The ratios of `--ratios` ("0.001,0.01,0.1"): each above 0 and below 1, as
 * `parentbased_traceidratio` takes them (0 keeps nothing and 1 every trace,
 * which the `nothing kept` and `every request` instances already are), each once.
 */
export function parseRatios(text: string): number[] {
  const ratios = text.split(',').map((part) => {
    const ratio = part.trim() === '' ? NaN : Number(part);
    if (!Number.isFinite(ratio) || ratio <= 0 || ratio >= 1) {
      throw new Error(
        `--ratios takes sampling ratios above 0 and below 1, comma-separated (0.001,0.01,0.1): "${part}" is not one`,
      );
    }
    return ratio;
  });
  // Each instance is known by its name: a ratio given twice would be two instances under one.
  const twice = ratios.find((ratio, index) => ratios.indexOf(ratio) !== index);
  if (twice !== undefined) throw new Error(`--ratios names ${twice} twice`);
  return ratios;
}

/**
 * Untraced (the reference and the control), then the SDK with nothing kept,
 * one instance per sampling ratio (parent-based, as a service behind an edge
 * that decides), and every request traced; all traced ones export to `sink`.
 */
export function tracingVariants(sink: string, ratios: number[] = [0.1]): Variant[] {
  return [
    [REFERENCE, {}],
    [CONTROL, {}],
    // The SDK, the request hooks, the `pg` instrumentation and the log fields, no span kept.
    [
      'nothing kept',
      { OTEL_EXPORTER_OTLP_ENDPOINT: sink, OTEL_TRACES_SAMPLER: 'parentbased_always_off' },
    ],
    ...ratios.map((ratio): Variant => [
      ratioName(ratio),
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: sink,
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: String(ratio),
      },
    ]),
    [EVERY_REQUEST, { OTEL_EXPORTER_OTLP_ENDPOINT: sink }],
  ];
}
