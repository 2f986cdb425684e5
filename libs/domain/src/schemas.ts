import { z } from 'zod';
import { canonicalId } from './cursor';
import { normalizeIsbn } from './isbn';
import { LIMITS } from './model';

/**
 * The input of every operation, defined once (ARCHITECTURE.md rule 2). Paths
 * in validation errors (`lines[1].quantity`) come from these schemas, so all
 * five protocols reject the same input with the same details. Objects are
 * strict: an unknown field is an error, which is how "stock is never set
 * directly" reaches `books.update`.
 */

/** The id of the operation's target: any string; one that names nothing is NOT_FOUND. */
const targetId = z.string().transform(canonicalId).describe('Entity id (UUID)');
/** An id inside the input that must name an existing entity. */
const referenceId = z
  .string()
  .min(1, 'must not be empty')
  .transform(canonicalId)
  .describe('Referenced entity id (UUID)');

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text every store and wire can carry: Postgres refuses NUL in text, and an
 * unpaired surrogate has no UTF-8 form (it would be stored as U+FFFD). Both
 * are the caller's mistake, refused with the field's path (CONTRACT.md, "Domain").
 */
export const text = () =>
  z
    .string()
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL (U+0000)')
    .refine((value) => !UNPAIRED_SURROGATE.test(value), 'must not contain unpaired surrogates');

const trimmed = (max: number, what: string) =>
  text()
    .trim()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} must be at most ${max} characters`);

const isbn = z
  .string()
  .max(40, 'ISBN must be 13 digits (hyphens and spaces allowed)')
  .transform((raw, ctx) => {
    const result = normalizeIsbn(raw);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.message });
      return z.NEVER;
    }
    return result.isbn;
  })
  .describe('ISBN-13; hyphens and spaces allowed on input, stored as 13 digits');

const int = (min: number, max: number, what: string) =>
  z
    .number(`${what} must be a number`)
    .int(`${what} must be an integer`)
    .min(min, `${what} must be at least ${min}`)
    .max(max, `${what} must be at most ${max}`);

const priceCents = int(0, LIMITS.priceCents, 'priceCents').describe('Price in integer cents');

const pageQuery = {
  limit: int(1, LIMITS.pageSize, 'limit')
    .optional()
    .describe(`Page size, 1–${LIMITS.pageSize}, default ${LIMITS.defaultPageSize}`),
  cursor: text().max(200).optional().describe('Opaque cursor from the previous page'),
};

export const byIdInput = z.strictObject({ id: targetId });

export const createAuthorInput = z.strictObject({
  name: trimmed(LIMITS.authorName, 'name'),
  bio: text()
    .max(LIMITS.authorBio, `bio must be at most ${LIMITS.authorBio} characters`)
    .nullish()
    .transform((bio) => bio ?? null),
});

/** A page of anything: `limit` and `cursor`. */
export const pageInput = z.strictObject(pageQuery);

export const listAuthorsInput = pageInput;

export const createBookInput = z.strictObject({
  title: trimmed(LIMITS.bookTitle, 'title'),
  authorId: referenceId,
  isbn,
  priceCents,
  stock: int(0, LIMITS.stock, 'stock').optional().describe('Initial stock, default 0'),
});

export const listBooksInput = z.strictObject({
  authorId: referenceId.optional(),
  q: text()
    .trim()
    .max(LIMITS.searchText, `q must be at most ${LIMITS.searchText} characters`)
    .optional()
    .describe('Case-insensitive substring of the title'),
  ...pageQuery,
});

const UPDATABLE = ['title', 'authorId', 'isbn', 'priceCents'] as const;

export const updateBookInput = z
  .strictObject({
    id: targetId,
    title: trimmed(LIMITS.bookTitle, 'title').optional(),
    authorId: referenceId.optional(),
    isbn: isbn.optional(),
    priceCents: priceCents.optional(),
    expectedVersion: int(1, Number.MAX_SAFE_INTEGER, 'expectedVersion')
      .optional()
      .describe('Fail with CONFLICT unless the book is at this version'),
  })
  .refine((input) => UPDATABLE.some((field) => input[field] !== undefined), {
    message: `at least one of ${UPDATABLE.join(', ')} must be given`,
  });

export const adjustStockInput = z.strictObject({
  id: targetId,
  delta: int(-LIMITS.stockDelta, LIMITS.stockDelta, 'delta')
    .refine((delta) => delta !== 0, 'delta must not be 0')
    .describe('Change to the stock; non-zero'),
});

export const orderLineInput = z.strictObject({
  bookId: referenceId,
  quantity: int(1, LIMITS.lineQuantity, 'quantity'),
});

export const placeOrderInput = z.strictObject({
  lines: z
    .array(orderLineInput)
    .min(1, 'an order needs at least one line')
    .max(LIMITS.orderLines, `an order has at most ${LIMITS.orderLines} lines`)
    .superRefine((lines, ctx) => {
      const seen = new Set<string>();
      lines.forEach((line, index) => {
        if (seen.has(line.bookId)) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'bookId'],
            message: 'the same book appears on more than one line',
          });
        }
        seen.add(line.bookId);
      });
    }),
});

export type ByIdInput = z.output<typeof byIdInput>;
export type CreateAuthorInput = z.output<typeof createAuthorInput>;
export type ListAuthorsInput = z.output<typeof listAuthorsInput>;
export type CreateBookInput = z.output<typeof createBookInput>;
export type ListBooksInput = z.output<typeof listBooksInput>;
export type UpdateBookInput = z.output<typeof updateBookInput>;
export type AdjustStockInput = z.output<typeof adjustStockInput>;
export type PlaceOrderInput = z.output<typeof placeOrderInput>;

/* The results, for generated documents (OpenAPI, OpenRPC, AsyncAPI). */

const isoTime = z.iso.datetime().describe('ISO-8601 UTC time');

export const authorSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    bio: z.string().nullable(),
    createdAt: isoTime,
  })
  .meta({ id: 'Author' });

export const bookSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    authorId: z.uuid(),
    isbn: z.string().regex(/^\d{13}$/),
    priceCents: z.number().int().min(0).max(LIMITS.priceCents),
    stock: z.number().int().min(0),
    version: z.number().int().min(1),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'Book' });

export const orderSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(['PLACED', 'CANCELLED']),
    lines: z.array(
      z.object({
        bookId: z.uuid(),
        quantity: z.number().int().min(1).max(LIMITS.lineQuantity),
        unitPriceCents: z.number().int().min(0),
      }),
    ),
    totalCents: z.number().int().min(0),
    createdAt: isoTime,
  })
  .meta({ id: 'Order' });

export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });

export const authorPageSchema = pageOf(authorSchema, 'AuthorPage');
export const bookPageSchema = pageOf(bookSchema, 'BookPage');
export const deletedSchema = z.object({ id: z.uuid() }).meta({ id: 'Deleted' });
