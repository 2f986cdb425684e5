import {
  CONTROL,
  EVERY_REQUEST,
  parseRatios,
  ratioName,
  REFERENCE,
  tracingVariants,
} from './tracing-variants';

describe('the sampling ratios of --ratios', () => {
  it('reads a comma-separated list', () => {
    expect(parseRatios('0.001, 0.01,0.1')).toEqual([0.001, 0.01, 0.1]);
  });

  it.each(['0', '1', '1.5', '-0.1', 'ten', '', '0.1,', 'NaN'])('refuses "%s"', (text) => {
    expect(() => parseRatios(text)).toThrow(/above 0 and below 1/);
  });

  it('refuses a ratio given twice, which would be two instances under one name', () => {
    expect(() => parseRatios('0.1,0.01,0.1')).toThrow('--ratios names 0.1 twice');
  });
});

describe('the name of a ratio', () => {
  it.each([
    [0.1, 'one trace in ten'],
    [0.01, 'one trace in a hundred'],
    [0.001, 'one trace in a thousand'],
    [0.25, 'one trace in 4'],
    [0.3, 'traces at ratio 0.3'],
  ])('%s is "%s"', (ratio, name) => {
    expect(ratioName(ratio)).toBe(name);
  });
});

describe('the instances compared', () => {
  it('are untraced twice, nothing kept, one per ratio and every request, all traced ones exporting to the sink', () => {
    const variants = tracingVariants('http://127.0.0.1:4318', [0.01, 0.1]);
    expect(variants.map(([name]) => name)).toEqual([
      REFERENCE,
      CONTROL,
      'nothing kept',
      'one trace in a hundred',
      'one trace in ten',
      EVERY_REQUEST,
    ]);
    const settings = Object.fromEntries(variants);
    expect(settings[REFERENCE]).toEqual({});
    expect(settings[CONTROL]).toEqual({});
    expect(settings['nothing kept']).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_TRACES_SAMPLER: 'parentbased_always_off',
    });
    expect(settings['one trace in a hundred']).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.01',
    });
    expect(settings[EVERY_REQUEST]).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
    });
  });

  it('keep one trace in ten unless told otherwise', () => {
    expect(tracingVariants('http://sink').map(([name]) => name)).toContain('one trace in ten');
    expect(tracingVariants('http://sink')).toHaveLength(5);
  });
});
