import { Document, Spectral } from '@stoplight/spectral-core';
import { Json } from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { DiagnosticSeverity } from '@stoplight/types';
import { buildOpenApiDocument } from './rest.document';

describe('the OpenAPI document under spectral’s OAS ruleset', () => {
  it('has no error and no warning', async () => {
    const spectral = new Spectral();
    // spectral validates every media type's example against its schema as JSON, so an
    // XML or CSV example (a string) fails it (stoplightio/spectral#2523): the rule runs
    // on the JSON media types here, and rest.document.spec.ts reads each XML example back.
    const mediaExample = oas.rules['oas3-valid-media-example'] as { given: string[] };
    spectral.setRuleset({
      extends: [[oas, 'recommended']],
      rules: {
        'oas3-valid-media-example': {
          ...mediaExample,
          given: mediaExample.given.map((path) =>
            path.replace(
              '$..content..[?(@ && ',
              '$..content[?(@property.endsWith("json") && @ && ',
            ),
          ),
        },
      },
    } as never);
    const results = await spectral.run(
      new Document(JSON.stringify(buildOpenApiDocument(), null, 2), Json),
    );
    // Errors and warnings fail the document; hints and information do not.
    expect(
      results
        .filter((result) => result.severity <= DiagnosticSeverity.Warning)
        .map(({ code, message, path }) => `${String(code)} at ${path.join('.')}: ${message}`),
    ).toEqual([]);
  });
});
