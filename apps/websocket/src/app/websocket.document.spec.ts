import 'reflect-metadata';
import Ajv from 'ajv';
import { MESSAGE_MAPPING_METADATA, MESSAGE_METADATA } from '@nestjs/websockets/constants';
import { MAX_TOPICS, OPERATION_NAMES, operationErrors } from '@bookshop/domain';
import { buildAsyncApiDocument } from './websocket.document';
import { BookshopGateway } from './bookshop.gateway';
import { parseFrame } from './frames';

/** The messages the gateway has a @SubscribeMessage handler for, read from Nest's metadata. */
function handledMessages(): string[] {
  const prototype = BookshopGateway.prototype as unknown as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype)
    .map((name) => prototype[name])
    .filter((method): method is object => typeof method === 'function')
    .filter((method) => Reflect.getMetadata(MESSAGE_MAPPING_METADATA, method) === true)
    .map((method) => Reflect.getMetadata(MESSAGE_METADATA, method) as string);
}

describe('the AsyncAPI document', () => {
  const document = buildAsyncApiDocument();
  const documentedOps = Object.values(document.channels.bookshop.messages as Record<string, any>)
    .map((message) => message.payload?.properties?.op?.const as string | undefined)
    .filter((op): op is string => op !== undefined);

  it('documents every catalogue operation and the connection ops, nothing else', () => {
    expect(documentedOps.sort()).toEqual(
      [...OPERATION_NAMES, 'auth', 'subscribe', 'unsubscribe'].sort(),
    );
  });

  it('documents only ops the gateway routes to a handler it has', () => {
    const handled = handledMessages();
    expect(handled.sort()).toEqual(['auth', 'invalid', 'operation', 'subscribe', 'unsubscribe']);
    for (const op of documentedOps) {
      const { event } = parseFrame(JSON.stringify({ id: 1, op }));
      expect(event).not.toBe('invalid');
      expect(handled).toContain(event);
    }
  });

  it.each(OPERATION_NAMES)("lists %s's error replies from the catalogue", (name) => {
    const operation = (document.operations as Record<string, { description?: string }>)[
      name.replace(/\./g, '_')
    ];
    const codes = [...(operation?.description ?? '').matchAll(/([A-Z_]+) \(/g)].map((m) => m[1]);
    expect(codes).toEqual(operationErrors(name).map(({ code }) => code));
  });

  it('states the topic limit of the subscribe parameters', () => {
    const subscribe = (document.channels.bookshop.messages as Record<string, any>)['subscribe'];
    expect(subscribe.payload.properties.params.properties.topics).toMatchObject({
      minItems: 1,
      maxItems: MAX_TOPICS,
    });
  });

  it('gives every documented op a reply, and every operation a message on the channel', () => {
    const messages = document.channels.bookshop.messages;
    for (const operation of Object.values(document.operations as Record<string, any>)) {
      for (const message of [...operation.messages, ...(operation.reply?.messages ?? [])]) {
        const name = String(message.$ref).split('/').pop()!;
        expect(messages).toHaveProperty(name);
      }
    }
  });
});

describe('the AsyncAPI document against the AsyncAPI 3.0.0 schema', () => {
  it('is valid', () => {
    // The schema bundles its definitions; the package's typings do not cover the JSON files.
    const schema = jest.requireActual<Record<string, unknown>>(
      '@asyncapi/specs/schemas/3.0.0-without-$id.json',
    );
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(schema);
    expect(validate(buildAsyncApiDocument()) ? [] : validate.errors).toEqual([]);
  });
});
