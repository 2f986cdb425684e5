import { CONTRACT_ERROR_TABLE, numbersIn } from '@bookshop/domain/testing';
import { WS_ERRORS } from './websocket-errors';

describe("WS_ERRORS against the contract's error table", () => {
  it.each(CONTRACT_ERROR_TABLE)('answers $code with $websocket', (row) => {
    const mapping = WS_ERRORS[row.code];
    if (row.websocket.startsWith('close ')) {
      expect(mapping).toEqual({ close: numbersIn(row.websocket)[0] });
    } else {
      expect(mapping).toEqual({ frame: row.websocket });
    }
  });
});
