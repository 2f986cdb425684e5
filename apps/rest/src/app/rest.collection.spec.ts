import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHttpCollection } from '@bookshop/platform';
import { REST_COLLECTION } from './rest.collection';

const FILE = join(__dirname, '../../../../collections/rest.http');

describe('collections/rest.http', () => {
  it('is the example script as REST_BINDINGS sends it (`npm run collections` writes it)', () => {
    const text = renderHttpCollection(REST_COLLECTION);
    if (process.env['UPDATE_COLLECTIONS']) writeFileSync(FILE, text);
    expect(readFileSync(FILE, 'utf8')).toBe(text);
  });
});
