import { demoAuthors, type BookshopEvent } from '@bookshop/domain';
import {
  connect,
  GraphqlClient,
  PROTOCOLS,
  type Protocol,
  WebSocketClient,
} from '@bookshop/clients';
import { DEFAULT_PORTS } from '@bookshop/domain';
import { freshTestDatabase, type RunningSystem, startSystem } from '@bookshop/testing';

const OFFSET = 20_000;
const PORTS: Record<Protocol, number> = DEFAULT_PORTS;
const url = (protocol: Protocol) => `http://127.0.0.1:${PORTS[protocol] + OFFSET}`;

describe('npm start', () => {
  describe('on the embedded database', () => {
    let system: RunningSystem;

    beforeAll(async () => {
      system = await startSystem(OFFSET, { API_KEYS: 'system-key' });
      console.log(`[system] all five ready after ${(system.readyAfterMs / 1000).toFixed(1)} s`);
    });

    afterAll(async () => {
      await system?.stop();
    });

    it('prefixes every line with its service, and serves the demo catalogue through all five', async () => {
      for (const protocol of PROTOCOLS)
        expect(system.lines.some((line) => line.startsWith(`${protocol.padEnd(9)} │ {`))).toBe(
          true,
        );
      for (const protocol of PROTOCOLS) {
        const client = await connect(protocol, { url: url(protocol) });
        try {
          const page = await client.listAuthors({ limit: 100 });
          expect(page.items.map((author) => author.id).sort()).toEqual(
            demoAuthors.map((author) => author.id).sort(),
          );
        } finally {
          await client.close();
        }
      }
    });

    it('shows a write through REST on the other four, and its event to WebSocket and GraphQL subscribers', async () => {
      const heard: Record<string, BookshopEvent[]> = { websocket: [], graphql: [] };
      const ws = new WebSocketClient({ url: url('websocket') });
      const gql = new GraphqlClient({ url: url('graphql') });
      const first = await ws.subscribe(['authors'], (event) => heard['websocket']?.push(event));
      // graphql-ws confirms the socket, not the subscription: start from the WebSocket's seq.
      const subscriptions = [
        first,
        await gql.subscribe(['authors'], (event) => heard['graphql']?.push(event), {
          since: first.seq,
        }),
      ];
      const rest = await connect('rest', { url: url('rest'), apiKey: 'system-key' });
      try {
        const author = await rest.createAuthor({ name: 'Written through REST' });
        for (const protocol of PROTOCOLS.filter((p) => p !== 'rest')) {
          const client = await connect(protocol, { url: url(protocol) });
          try {
            expect(await client.getAuthor({ id: author.id })).toEqual(author);
          } finally {
            await client.close();
          }
        }
        const deadline = Date.now() + 10_000;
        while (heard['websocket']?.length === 0 || heard['graphql']?.length === 0) {
          if (Date.now() > deadline) throw new Error(`events heard: ${JSON.stringify(heard)}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        for (const events of Object.values(heard))
          expect(events).toEqual([
            expect.objectContaining({ type: 'author.created', data: author }),
          ]);
      } finally {
        await Promise.all(subscriptions.map((subscription) => subscription.close()));
        await Promise.all([rest.close(), ws.close(), gql.close()]);
      }
    });

    it('stops all five and the database on Ctrl-C, each gracefully', async () => {
      const code = await system.stop();
      expect(code).toBe(0);
      for (const protocol of PROTOCOLS)
        expect(
          system.lines.some(
            (line) =>
              line.startsWith(`${protocol.padEnd(9)} │ `) && line.includes('"event":"stopped"'),
          ),
        ).toBe(true);
      expect(system.lines.at(-1)).toMatch(/^system +│ stopped$/);
    });
  });

  describe('on Postgres (DATABASE_URL)', () => {
    it('seeds an empty database once, though five services start together, when SEED_DEMO_DATA is true', async () => {
      const databaseUrl = await freshTestDatabase('system');
      const system = await startSystem(OFFSET, {
        DATABASE_URL: databaseUrl,
        SEED_DEMO_DATA: 'true',
      });
      try {
        const client = await connect('jsonrpc', { url: url('jsonrpc') });
        try {
          const page = await client.listAuthors({ limit: 100 });
          expect(page.items).toHaveLength(demoAuthors.length);
        } finally {
          await client.close();
        }
        const seeded = system.lines.filter((line) => line.includes('Seeded the demo catalogue'));
        expect(seeded).toHaveLength(1);
      } finally {
        expect(await system.stop()).toBe(0);
      }
    });
  });
});
