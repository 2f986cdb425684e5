import { type z } from 'zod';
import { type ErrorCode } from './errors';
import { type Author, type Book, type Order, type Page } from './model';
import {
  adjustStockInput,
  authorPageSchema,
  authorSchema,
  bookPageSchema,
  bookSchema,
  byIdInput,
  createAuthorInput,
  createBookInput,
  deletedSchema,
  listAuthorsInput,
  listBooksInput,
  orderSchema,
  placeOrderInput,
  updateBookInput,
} from './schemas';
import { AdjustStockUseCase } from './use-cases/adjust-stock.use-case';
import { CancelOrderUseCase } from './use-cases/cancel-order.use-case';
import { CreateAuthorUseCase } from './use-cases/create-author.use-case';
import { CreateBookUseCase } from './use-cases/create-book.use-case';
import { DeleteBookUseCase } from './use-cases/delete-book.use-case';
import { GetAuthorUseCase } from './use-cases/get-author.use-case';
import { GetBookUseCase } from './use-cases/get-book.use-case';
import { GetOrderUseCase } from './use-cases/get-order.use-case';
import { ListAuthorsUseCase } from './use-cases/list-authors.use-case';
import { ListBooksUseCase } from './use-cases/list-books.use-case';
import { PlaceOrderUseCase } from './use-cases/place-order.use-case';
import { UpdateBookUseCase } from './use-cases/update-book.use-case';
import { type UseCase, type UseCaseDependencies } from './use-cases/use-case';

type OperationErrors = Partial<
  Record<'VALIDATION_FAILED' | 'NOT_FOUND' | 'CONFLICT' | 'OUT_OF_STOCK', string>
>;

/** One operation of the contract, defined once (ARCHITECTURE.md rule 3). */
export interface Operation<S extends z.ZodType = z.ZodType, O = unknown> {
  /** The catalogue name; each app's `<p>.bindings.ts` says how its protocol carries it. */
  name: string;
  summary: string;
  /** Writes need an API key. */
  writes: boolean;
  /** Validates and normalises the raw input (ISBN, trimming, defaults). */
  input: S;
  /** Describes the result, for generated documents. */
  output: z.ZodType;
  /**
   * The contract's codes this operation's own rules can raise, each with
   * when. Every operation can also fail validation, a write without a key,
   * and the outages every request can meet (see `operationErrors`).
   */
  errors: OperationErrors;
  useCase: (deps: UseCaseDependencies) => UseCase<z.output<S>, O>;
}

const operation = <S extends z.ZodType, O>(definition: Operation<S, O>) => definition;

export const catalogue = {
  'authors.create': operation({
    name: 'authors.create',
    summary: 'Create an author',
    writes: true,
    input: createAuthorInput,
    output: authorSchema,
    errors: {},
    useCase: (deps): UseCase<z.output<typeof createAuthorInput>, Author> =>
      new CreateAuthorUseCase(deps),
  }),
  'authors.get': operation({
    name: 'authors.get',
    summary: 'Get one author by id',
    writes: false,
    input: byIdInput,
    output: authorSchema,
    errors: { NOT_FOUND: 'no author has this id' },
    useCase: (deps): UseCase<z.output<typeof byIdInput>, Author> => new GetAuthorUseCase(deps),
  }),
  'authors.list': operation({
    name: 'authors.list',
    summary: 'List authors, oldest first, a page at a time',
    writes: false,
    input: listAuthorsInput,
    output: authorPageSchema,
    errors: {},
    useCase: (deps): UseCase<z.output<typeof listAuthorsInput>, Page<Author>> =>
      new ListAuthorsUseCase(deps),
  }),
  'books.create': operation({
    name: 'books.create',
    summary: 'Create a book',
    writes: true,
    input: createBookInput,
    output: bookSchema,
    errors: {
      VALIDATION_FAILED: 'a field breaks a rule, or `authorId` names no author',
      CONFLICT: 'another book has this ISBN',
    },
    useCase: (deps): UseCase<z.output<typeof createBookInput>, Book> => new CreateBookUseCase(deps),
  }),
  'books.get': operation({
    name: 'books.get',
    summary: 'Get one book by id',
    writes: false,
    input: byIdInput,
    output: bookSchema,
    errors: { NOT_FOUND: 'no book has this id' },
    useCase: (deps): UseCase<z.output<typeof byIdInput>, Book> => new GetBookUseCase(deps),
  }),
  'books.list': operation({
    name: 'books.list',
    summary: 'List books, oldest first, filtered by author and title text',
    writes: false,
    input: listBooksInput,
    output: bookPageSchema,
    errors: {},
    useCase: (deps): UseCase<z.output<typeof listBooksInput>, Page<Book>> =>
      new ListBooksUseCase(deps),
  }),
  'books.update': operation({
    name: 'books.update',
    summary: 'Change a book’s title, author, ISBN or price',
    writes: true,
    input: updateBookInput,
    output: bookSchema,
    errors: {
      VALIDATION_FAILED: 'a field breaks a rule, or `authorId` names no author',
      NOT_FOUND: 'no book has this id',
      CONFLICT: 'another book has this ISBN, or `expectedVersion` is not the current version',
    },
    useCase: (deps): UseCase<z.output<typeof updateBookInput>, Book> => new UpdateBookUseCase(deps),
  }),
  'books.delete': operation({
    name: 'books.delete',
    summary: 'Delete a book that no order references',
    writes: true,
    input: byIdInput,
    output: deletedSchema,
    errors: {
      NOT_FOUND: 'no book has this id',
      CONFLICT: 'an order references the book',
    },
    useCase: (deps): UseCase<z.output<typeof byIdInput>, { id: string }> =>
      new DeleteBookUseCase(deps),
  }),
  'books.adjustStock': operation({
    name: 'books.adjustStock',
    summary: 'Add to or take from a book’s stock',
    writes: true,
    input: adjustStockInput,
    output: bookSchema,
    errors: {
      NOT_FOUND: 'no book has this id',
      OUT_OF_STOCK: 'the stock would fall below 0; `details` holds the shortage',
    },
    useCase: (deps): UseCase<z.output<typeof adjustStockInput>, Book> =>
      new AdjustStockUseCase(deps),
  }),
  'orders.place': operation({
    name: 'orders.place',
    summary: 'Place an order; every line is taken from stock or nothing is',
    writes: true,
    input: placeOrderInput,
    output: orderSchema,
    errors: {
      VALIDATION_FAILED: 'a field breaks a rule, or a `bookId` names no book',
      OUT_OF_STOCK: 'a line asks for more than is in stock; `details` lists every short line',
    },
    useCase: (deps): UseCase<z.output<typeof placeOrderInput>, Order> =>
      new PlaceOrderUseCase(deps),
  }),
  'orders.get': operation({
    name: 'orders.get',
    summary: 'Get one order by id',
    writes: false,
    input: byIdInput,
    output: orderSchema,
    errors: { NOT_FOUND: 'no order has this id' },
    useCase: (deps): UseCase<z.output<typeof byIdInput>, Order> => new GetOrderUseCase(deps),
  }),
  'orders.cancel': operation({
    name: 'orders.cancel',
    summary: 'Cancel a placed order and put its copies back in stock',
    writes: true,
    input: byIdInput,
    output: orderSchema,
    errors: {
      NOT_FOUND: 'no order has this id',
      CONFLICT: 'the order is already cancelled',
    },
    useCase: (deps): UseCase<z.output<typeof byIdInput>, Order> => new CancelOrderUseCase(deps),
  }),
} as const;

export type Catalogue = typeof catalogue;
export type OperationName = keyof Catalogue;
/** What a client sends for an operation (before normalisation). */
export type OperationInput<N extends OperationName> = z.input<Catalogue[N]['input']>;
export type OperationResult<N extends OperationName> =
  ReturnType<Catalogue[N]['useCase']> extends UseCase<never, infer O> ? O : never;

export const OPERATION_NAMES = Object.keys(catalogue) as OperationName[];

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(catalogue, name);
}

/** One error an operation can answer with, and when. */
export interface OperationError {
  code: ErrorCode;
  when: string;
}

/**
 * Every contract error an operation can answer with, in the order of the
 * contract's table: the input's validation, the key a write needs, the
 * operation's own rules, and the limits and outages any request can meet.
 * The protocol's own transport errors (BAD_REQUEST, PAYLOAD_TOO_LARGE) are
 * each protocol document's to add. OpenAPI, the WSDL, OpenRPC and AsyncAPI
 * all list these.
 */
export function operationErrors(name: OperationName): OperationError[] {
  const operation: Operation = catalogue[name];
  const own: OperationErrors = operation.errors;
  const errors: OperationError[] = [
    {
      code: 'VALIDATION_FAILED',
      when: own.VALIDATION_FAILED ?? 'a field breaks a rule; `details` names each field',
    },
  ];
  if (operation.writes) errors.push({ code: 'UNAUTHENTICATED', when: 'no valid API key' });
  for (const code of ['NOT_FOUND', 'CONFLICT', 'OUT_OF_STOCK'] as const) {
    const when =
      code === 'CONFLICT' && operation.writes
        ? [own.CONFLICT, 'the idempotency key was used for another operation or input']
            .filter(Boolean)
            .join(', or ')
        : own[code];
    if (when) errors.push({ code, when });
  }
  errors.push(
    { code: 'RATE_LIMITED', when: 'too many requests from this key or address' },
    { code: 'UNAVAILABLE', when: 'the database did not answer in time; nothing changed' },
    {
      code: 'INTERNAL',
      when: 'a failure the service did not foresee; the request id finds it in the logs',
    },
  );
  return errors;
}
