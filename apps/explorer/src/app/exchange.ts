import {
  BookshopError,
  callOperation,
  connect,
  type BookshopClient,
  type Protocol,
  PROTOCOLS,
  WireRecorder,
} from '@bookshop/clients';
import { type ErrorCode, type OperationName } from '@bookshop/domain';
import { httpMessages, websocketMessages, type WireMessage } from './transcript';

/** One protocol's side of a call: what crossed the wire, and what it meant. */
export interface ProtocolRun {
  protocol: Protocol;
  /** The contract's code of a failure; absent on success. */
  code?: ErrorCode;
  /** How the protocol itself said it: `409`, `soap:Client`, `-32009`, `close 1009`, … */
  wire: string;
  result?: unknown;
  /** The call never got an answer the contract names (the service is down, say). */
  failure?: string;
  /** Bytes the client sent and received, framing and headers included. */
  sent: number;
  received: number;
  ms: number;
  messages: WireMessage[];
}

/** Where each service is, as the explorer reaches it. */
export type Targets = Record<Protocol, string>;

const firstLine = (messages: WireMessage[], from: WireMessage['from']) =>
  messages.find((m) => m.from === from)?.text.split('\r\n')[0] ?? '';

/** The protocol's own words for the outcome, read from the wire. */
export function wireOutcome(protocol: Protocol, messages: WireMessage[]): string {
  const replies = messages.filter((m) => m.from === 'server').map((m) => m.text);
  const all = replies.join('\n');
  const status = /^HTTP\/1\.1 (\d{3})/.exec(firstLine(messages, 'server'))?.[1] ?? '';
  switch (protocol) {
    case 'rest':
      return status;
    case 'soap':
      return /<faultcode>([^<]+)<\/faultcode>/.exec(all)?.[1] ?? status;
    case 'graphql': {
      const code = /"extensions":\{"code":"([A-Z_]+)"/.exec(all)?.[1];
      return code ? `${status} ${code}` : status;
    }
    case 'jsonrpc':
      return /"error":\{"code":(-?\d+)/.exec(all)?.[1] ?? status;
    case 'websocket': {
      const close = replies.find(
        (text) => text.startsWith('close ') && !text.startsWith('close 1000'),
      );
      if (close) return close.split(' ').slice(0, 2).join(' ');
      const error = /"error":\{"code":"([A-Z_]+)"/.exec(all)?.[1];
      return error ? `error ${error}` : 'result';
    }
  }
}

/**
 * Runs one operation over one protocol through a recording relay: the client
 * connects through it, so the transcript is exactly what crossed the wire.
 * SOAP's client reads the WSDL when it connects; only the call is shown.
 */
export async function runOver(
  protocol: Protocol,
  target: string,
  operation: OperationName,
  input: unknown,
  apiKey: string | undefined,
): Promise<ProtocolRun> {
  const recorder = await WireRecorder.inFrontOf(target);
  let client: BookshopClient | undefined;
  let code: ErrorCode | undefined;
  let result: unknown;
  let failure: string | undefined;
  let ms = 0;
  try {
    client = await connect(protocol, { url: recorder.url, apiKey });
    if (protocol === 'soap') recorder.reset();
    const started = performance.now();
    try {
      result = await callOperation(client, operation, input);
    } catch (error) {
      if (!(error instanceof BookshopError)) throw error;
      code = error.code;
      result = { code: error.code, message: error.message, details: error.details };
    }
    ms = performance.now() - started;
  } catch (error) {
    failure = `${protocol} at ${target}: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await client?.close().catch(() => undefined);
    // The last bytes (a close frame, its echo) cross the relay just after.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await recorder.close();
  }
  const chunks = recorder.chunks();
  const messages = protocol === 'websocket' ? websocketMessages(chunks) : httpMessages(chunks);
  return {
    protocol,
    ...(code ? { code } : {}),
    ...(failure ? { failure } : {}),
    wire: wireOutcome(protocol, messages),
    result,
    sent: recorder.sent,
    received: recorder.received,
    ms: Math.round(ms * 10) / 10,
    messages,
  };
}

/** The operation over all five protocols, one after the other, in the contract's order. */
export async function runOnAll(
  targets: Targets,
  operation: OperationName,
  input: unknown,
  apiKey: string | undefined,
): Promise<ProtocolRun[]> {
  const runs: ProtocolRun[] = [];
  for (const protocol of PROTOCOLS) {
    runs.push(await runOver(protocol, targets[protocol], operation, input, apiKey));
  }
  return runs;
}
