import { Document, Spectral } from '@stoplight/spectral-core';
import { Json } from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { buildOpenApiDocument } from './rest.document';

describe('the OpenAPI document under spectral’s OAS ruleset', () => {
  it('has no error and no warning', async () => {
    const spectral = new Spectral();
    spectral.setRuleset({ extends: [[oas, 'recommended']] } as never);
    const results = await spectral.run(
      new Document(JSON.stringify(buildOpenApiDocument(), null, 2), Json),
    );
    // Severity 0 is error, 1 warning; hints and information do not fail the document.
    expect(
      results
        .filter((result) => result.severity <= 1)
        .map(({ code, message, path }) => `${String(code)} at ${path.join('.')}: ${message}`),
    ).toEqual([]);
  });
});
