import { parseFrame, reply } from './frames';

describe('parseFrame', () => {
  it('routes a catalogue op to the operation handler', () => {
    expect(parseFrame('{"id":"c1","op":"books.get","params":{"id":"x"}}')).toEqual({
      event: 'operation',
      data: { id: 'c1', op: 'books.get', operation: 'books.get', params: { id: 'x' } },
    });
  });

  it('routes the connection ops to their own handlers', () => {
    for (const op of ['auth', 'subscribe', 'unsubscribe']) {
      expect(parseFrame(JSON.stringify({ id: 7, op })).event).toBe(op);
    }
  });

  it.each([
    ['not json', { reason: 'the frame is not JSON' }],
    ['[1]', { reason: 'a frame must be a JSON object' }],
    ['null', { reason: 'a frame must be a JSON object' }],
    ['{"id":"a"}', { id: 'a', reason: 'the frame has no op' }],
    ['{"id":"a","op":7}', { id: 'a', reason: 'the frame has no op' }],
    ['{"id":"a","op":"books.burn"}', { id: 'a', reason: 'unknown op "books.burn"' }],
    ['{"id":{},"op":"books.get"}', { reason: 'id must be a string or a number' }],
  ])('marks %s as invalid', (text, data) => {
    expect(parseFrame(text)).toEqual({ event: 'invalid', data });
  });

  it('reads binary frames as UTF-8 text', () => {
    expect(parseFrame(Buffer.from('{"op":"authors.list"}')).event).toBe('operation');
  });
});

describe('reply', () => {
  it('echoes the id when the request had one', () => {
    expect(reply('c1', { result: 1 })).toEqual({ id: 'c1', result: 1 });
    expect(reply(undefined, { error: { code: 'BAD_REQUEST' } })).toEqual({
      error: { code: 'BAD_REQUEST' },
    });
  });
});
