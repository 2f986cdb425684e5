import { type WireChunk } from '@bookshop/clients';
import { wireOutcome } from './exchange';
import { httpMessages, parseFrames, websocketMessages } from './transcript';

/** A frame as RFC 6455 §5.2 lays it out; a client's is masked with `mask`. */
function frame(opcode: number, payload: Buffer, mask?: Buffer): Buffer {
  const length =
    payload.length < 126
      ? Buffer.from([payload.length])
      : Buffer.from([126, payload.length >> 8, payload.length & 0xff]);
  if (mask) length[0] = length[0]! | 0x80;
  const body = mask ? payload.map((byte, i) => byte ^ mask[i % 4]!) : payload;
  return Buffer.concat([Buffer.from([0x80 | opcode]), length, mask ?? Buffer.alloc(0), body]);
}

const chunk = (from: WireChunk['from'], text: string | Buffer, connection = 1): WireChunk => ({
  from,
  connection,
  bytes: Buffer.isBuffer(text) ? text : Buffer.from(text),
});

describe('transcripts', () => {
  it('joins the chunks of one HTTP message and keeps request and response apart', () => {
    const messages = httpMessages([
      chunk('client', 'POST /rpc HTTP/1.1\r\n'),
      chunk('client', 'content-length: 2\r\n\r\n{}'),
      chunk('server', 'HTTP/1.1 200 OK\r\n\r\n{"jsonrpc":"2.0","error":{"code":-32009}}'),
    ]);
    expect(messages.map((m) => m.from)).toEqual(['client', 'server']);
    expect(messages[0]?.text).toBe('POST /rpc HTTP/1.1\r\ncontent-length: 2\r\n\r\n{}');
    expect(wireOutcome('jsonrpc', messages)).toBe('-32009');
  });

  it('reads masked client frames, 16-bit lengths and close codes (RFC 6455 §5.2, §5.5.1)', () => {
    const long = Buffer.from(`{"op":"${'x'.repeat(200)}"}`);
    const close = Buffer.concat([Buffer.from([0x03, 0xf1]), Buffer.from('too big')]);
    const frames = parseFrames(
      Buffer.concat([frame(0x1, long, Buffer.from([1, 2, 3, 4])), frame(0x8, close)]),
    );
    expect(frames.map((f) => f.opcode)).toEqual([0x1, 0x8]);
    expect(frames[0]?.payload.toString()).toBe(long.toString());
    expect(frames[1]?.payload.readUInt16BE(0)).toBe(1009);
  });

  it('leaves out a frame that has not fully arrived', () => {
    const whole = frame(0x1, Buffer.from('{"id":1}'));
    expect(parseFrames(whole.subarray(0, whole.length - 2))).toEqual([]);
  });

  it('shows a WebSocket call as the upgrade, then its frames in turn', () => {
    const messages = websocketMessages([
      chunk('client', 'GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n'),
      chunk('server', 'HTTP/1.1 101 Switching Protocols\r\n\r\n'),
      chunk(
        'client',
        frame(0x1, Buffer.from('{"id":1,"op":"books.get"}'), Buffer.from([9, 9, 9, 9])),
      ),
      chunk('server', frame(0x1, Buffer.from('{"id":1,"error":{"code":"NOT_FOUND"}}'))),
    ]);
    expect(messages.map((m) => `${m.from}: ${m.text.split('\r\n')[0]}`)).toEqual([
      'client: GET /ws HTTP/1.1',
      'server: HTTP/1.1 101 Switching Protocols',
      'client: text {"id":1,"op":"books.get"}',
      'server: text {"id":1,"error":{"code":"NOT_FOUND"}}',
    ]);
    expect(wireOutcome('websocket', messages)).toBe('error NOT_FOUND');
  });

  it('names each protocol’s own outcome', () => {
    const reply = (text: string) => [{ from: 'server' as const, text }];
    expect(wireOutcome('rest', reply('HTTP/1.1 412 Precondition Failed\r\n\r\n{}'))).toBe('412');
    expect(
      wireOutcome('soap', reply('HTTP/1.1 500 x\r\n\r\n<faultcode>soap:Client</faultcode>')),
    ).toBe('soap:Client');
    expect(
      wireOutcome(
        'graphql',
        reply('HTTP/1.1 200 OK\r\n\r\n{"errors":[{"extensions":{"code":"CONFLICT"}}]}'),
      ),
    ).toBe('200 CONFLICT');
    expect(wireOutcome('websocket', reply('close 1009 too big'))).toBe('close 1009');
  });
});
