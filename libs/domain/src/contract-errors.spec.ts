import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from './errors';
import { CONTRACT_ERROR_TABLE, numbersIn } from './testing';

const CONTRACT = join(__dirname, '../../../../shared/CONTRACT.md');

describe("the contract's error table", () => {
  it('has one row per error code, in the order of ERROR_CODES', () => {
    expect(CONTRACT_ERROR_TABLE.map((row) => row.code)).toEqual([...ERROR_CODES]);
  });

  it('reads the numbers of a cell, minus signs included', () => {
    expect(numbersIn('409 (412 on a failed `If-Match`)')).toEqual([409, 412]);
    expect(numbersIn('−32700 / −32600')).toEqual([-32700, -32600]);
  });

  // The contract lives beside the repository where it is written; a clone alone skips this.
  (existsSync(CONTRACT) ? it : it.skip)('is the table of CONTRACT.md, cell for cell', () => {
    const markdown = readFileSync(CONTRACT, 'utf8');
    const section = markdown.slice(markdown.indexOf('## Errors'));
    const rows = section
      .split('\n')
      .filter((line) => /^\| `[A-Z_]+`/.test(line))
      .map((line) => {
        const cells = line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim());
        const [code, rest, soap, graphql, jsonrpc, websocket] = cells;
        return {
          code: /`([A-Z_]+)`/.exec(code ?? '')?.[1],
          rest,
          soap: soap?.replace(/`/g, ''),
          graphql: graphql?.replace(/`/g, ''),
          jsonrpc,
          websocket: websocket?.replace(/`/g, ''),
        };
      });
    expect(rows).toEqual(CONTRACT_ERROR_TABLE);
  });
});
