import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHttpCollection } from '@bookshop/platform';
import { GRAPHQL_COLLECTION } from './graphql.collection';

const FILE = join(__dirname, '../../../../collections/graphql.http');

describe('collections/graphql.http', () => {
  it('is the example script as GRAPHQL_BINDINGS sends it (`npm run collections` writes it)', () => {
    const text = renderHttpCollection(GRAPHQL_COLLECTION);
    if (process.env['UPDATE_COLLECTIONS']) writeFileSync(FILE, text);
    expect(readFileSync(FILE, 'utf8')).toBe(text);
  });
});
