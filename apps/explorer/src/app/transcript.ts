import { type WireChunk } from '@bookshop/clients';

/** One message as it crossed the wire: an HTTP request or response, or a WebSocket frame. */
export interface WireMessage {
  from: 'client' | 'server';
  text: string;
}

/** The most of one message's text a transcript shows; the rest is counted. */
export const MAX_SHOWN = 16 * 1024;

const shown = (text: string): string =>
  text.length <= MAX_SHOWN
    ? text
    : `${text.slice(0, MAX_SHOWN)}\n… (${text.length - MAX_SHOWN} more characters)`;

/** Consecutive chunks of one connection and direction, joined: one HTTP message each. */
function runs(chunks: readonly WireChunk[]): { from: WireChunk['from']; bytes: Buffer }[] {
  const out: { from: WireChunk['from']; connection: number; bytes: Buffer[] }[] = [];
  for (const chunk of chunks) {
    const last = out[out.length - 1];
    if (last && last.from === chunk.from && last.connection === chunk.connection) {
      last.bytes.push(chunk.bytes);
    } else {
      out.push({ from: chunk.from, connection: chunk.connection, bytes: [chunk.bytes] });
    }
  }
  return out.map(({ from, bytes }) => ({ from, bytes: Buffer.concat(bytes) }));
}

/** HTTP/1.1 exchanges as their text: start line, headers, body. */
export function httpMessages(chunks: readonly WireChunk[]): WireMessage[] {
  return runs(chunks).map(({ from, bytes }) => ({ from, text: shown(bytes.toString('utf8')) }));
}

interface Frame {
  opcode: number;
  payload: Buffer;
}

/** RFC 6455 §5.2 frames in `bytes` (client frames are masked); an incomplete tail is left out. */
export function parseFrames(bytes: Buffer): Frame[] {
  const frames: Frame[] = [];
  let offset = 0;
  while (offset + 2 <= bytes.length) {
    const opcode = bytes.readUInt8(offset) & 0x0f;
    const masked = (bytes.readUInt8(offset + 1) & 0x80) !== 0;
    let length = bytes.readUInt8(offset + 1) & 0x7f;
    let at = offset + 2;
    if (length === 126) {
      if (at + 2 > bytes.length) break;
      length = bytes.readUInt16BE(at);
      at += 2;
    } else if (length === 127) {
      if (at + 8 > bytes.length) break;
      length = Number(bytes.readBigUInt64BE(at));
      at += 8;
    }
    const mask = masked ? bytes.subarray(at, at + 4) : undefined;
    if (masked) at += 4;
    if (at + length > bytes.length) break;
    const payload = Buffer.from(bytes.subarray(at, at + length));
    if (mask) {
      for (let i = 0; i < payload.length; i++) {
        payload.writeUInt8(payload.readUInt8(i) ^ mask.readUInt8(i % 4), i);
      }
    }
    frames.push({ opcode, payload });
    offset = at + length;
  }
  return frames;
}

function describeFrame({ opcode, payload }: Frame): string {
  switch (opcode) {
    case 0x1:
      return `text ${payload.toString('utf8')}`;
    case 0x2:
      return `binary (${payload.length} bytes)`;
    case 0x8:
      return payload.length >= 2
        ? `close ${payload.readUInt16BE(0)} ${payload.subarray(2).toString('utf8')}`.trim()
        : 'close';
    case 0x9:
      return 'ping';
    case 0xa:
      return 'pong';
    default:
      return `opcode ${opcode} (${payload.length} bytes)`;
  }
}

/** A WebSocket connection: the upgrade request and its 101 as text, then one message per frame. */
export function websocketMessages(chunks: readonly WireChunk[]): WireMessage[] {
  const messages: WireMessage[] = [];
  for (const from of ['client', 'server'] as const) {
    const bytes = Buffer.concat(chunks.filter((c) => c.from === from).map((c) => c.bytes));
    const end = bytes.indexOf('\r\n\r\n');
    if (end === -1) continue;
    messages.push({ from, text: shown(bytes.subarray(0, end + 4).toString('utf8')) });
    for (const frame of parseFrames(bytes.subarray(end + 4))) {
      messages.push({ from, text: shown(describeFrame(frame)) });
    }
  }
  // The upgrade pair first, then the frames as they alternate (request, reply).
  const [upgrade, ...frames] = messages.filter((m) => m.from === 'client');
  const [switched, ...replies] = messages.filter((m) => m.from === 'server');
  const ordered: WireMessage[] = [upgrade, switched].filter((m): m is WireMessage => !!m);
  for (let i = 0; i < Math.max(frames.length, replies.length); i++) {
    const [frame, reply] = [frames[i], replies[i]];
    if (frame) ordered.push(frame);
    if (reply) ordered.push(reply);
  }
  return ordered;
}
