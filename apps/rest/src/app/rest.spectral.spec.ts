import { Document, Spectral } from '@stoplight/spectral-core';
import { Json } from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { DiagnosticSeverity } from '@stoplight/types';
import { buildOpenApiDocument } from './rest.document';

describe('the OpenAPI document under spectral’s OAS ruleset', () => {
  it('has no error and no warning', async () => {
    const spectral = new Spectral();
    spectral.setRuleset({ extends: [[oas, 'recommended']] } as never);
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
