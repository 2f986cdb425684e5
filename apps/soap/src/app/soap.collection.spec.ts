import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHttpCollection } from '@bookshop/platform';
import { EXAMPLE_SCRIPT } from '@bookshop/domain';
import { SOAP_BINDINGS, type SoapBinding } from './soap.bindings';
import { SOAP_COLLECTION } from './soap.collection';

const FILE = join(__dirname, '../../../../collections/soap.http');

describe('collections/soap.http', () => {
  it('is the example script as SOAP_BINDINGS sends it (`npm run collections` writes it)', () => {
    const text = renderHttpCollection(SOAP_COLLECTION);
    if (process.env['UPDATE_COLLECTIONS']) writeFileSync(FILE, text);
    expect(readFileSync(FILE, 'utf8')).toBe(text);
  });
});

describe('SOAP_BINDINGS request', () => {
  it('writes what the binding reads back as the same input', () => {
    for (const step of EXAMPLE_SCRIPT) {
      const binding: SoapBinding = SOAP_BINDINGS[step.operation];
      if (!binding.request || !binding.input) continue;
      const input = step.input as Record<string, unknown>;
      expect(binding.input(binding.request(input))).toEqual(input);
    }
  });
});
