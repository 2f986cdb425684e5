import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHttpCollection } from '@bookshop/platform';
import { JSONRPC_COLLECTION } from './jsonrpc.collection';

const FILE = join(__dirname, '../../../../collections/jsonrpc.http');

describe('collections/jsonrpc.http', () => {
  it('is the example script as JSONRPC_BINDINGS sends it (`npm run collections` writes it)', () => {
    const text = renderHttpCollection(JSONRPC_COLLECTION);
    if (process.env['UPDATE_COLLECTIONS']) writeFileSync(FILE, text);
    expect(readFileSync(FILE, 'utf8')).toBe(text);
  });
});
