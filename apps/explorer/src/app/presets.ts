import { RestClient } from '@bookshop/clients';
import { isbn13CheckDigit, LIMITS, type OperationName } from '@bookshop/domain';

/** A ready-made call: the operation, its input, and whether it goes without the API key. */
export interface Preset {
  name: string;
  title: string;
  operation: OperationName;
  input: unknown;
  withoutKey?: boolean;
}

export const PRESET_NAMES = [
  'read',
  'stale-version',
  'out-of-stock',
  'missing-key',
  'too-large',
] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

let made = 0;
/** A valid ISBN-13 the explorer has not used in this process. */
function freshIsbn(): string {
  const first12 = `979${String(Date.now() % 1e6).padStart(6, '0')}${String(++made % 1000).padStart(3, '0')}`;
  return `${first12}${isbn13CheckDigit(first12)}`;
}

/**
 * Prepares a preset's data through the REST service (not recorded) and gives
 * the call that shows the case, the same for all five protocols.
 */
export async function preparePreset(
  name: PresetName,
  restUrl: string,
  apiKey: string,
): Promise<Preset> {
  const rest = new RestClient({ url: restUrl, apiKey });
  const author = async () => rest.createAuthor({ name: 'Explorer Author' });
  const book = async (stock: number) =>
    rest.createBook({
      title: 'Explorer Book',
      authorId: (await author()).id,
      isbn: freshIsbn(),
      priceCents: 1250,
      stock,
    });
  switch (name) {
    case 'read': {
      const [first] = (await rest.listBooks({ limit: 1 })).items;
      return {
        name,
        title: 'Read one book',
        operation: 'books.get',
        input: { id: (first ?? (await book(3))).id },
      };
    }
    case 'stale-version': {
      const created = await book(3);
      await rest.updateBook({ id: created.id, priceCents: 1300 });
      return {
        name,
        title: 'Update with a stale expectedVersion (CONFLICT)',
        operation: 'books.update',
        input: { id: created.id, title: 'Renamed', expectedVersion: 1 },
      };
    }
    case 'out-of-stock': {
      const lastCopy = await book(1);
      return {
        name,
        title: 'Order two of the last copy (OUT_OF_STOCK)',
        operation: 'orders.place',
        input: { lines: [{ bookId: lastCopy.id, quantity: 2 }] },
      };
    }
    case 'missing-key':
      return {
        name,
        title: 'Write without an API key (UNAUTHENTICATED)',
        operation: 'authors.create',
        input: { name: 'Nobody' },
        withoutKey: true,
      };
    case 'too-large':
      return {
        name,
        title: 'A request over 1 MiB (PAYLOAD_TOO_LARGE)',
        operation: 'authors.create',
        input: { name: 'x'.repeat(1024 * 1024 + LIMITS.authorName) },
      };
  }
}
