import {
  type Author,
  type Book,
  catalogue,
  type Order,
  type OperationName,
  type Page,
} from '@bookshop/domain';

/** The request element's children as node `soap` reads them. */
export type SoapArgs = Record<string, unknown> | null | undefined;

/**
 * How one operation reads its request element and shapes its response
 * element (bookshop.wsdl): the element's children are the operation's
 * parameters by name; integers arrive as text; the response holds `author`,
 * `book` or `order` children in the schema's order.
 */
export interface SoapOperation {
  input: (args: SoapArgs) => Record<string, unknown>;
  output: (result: never) => Record<string, unknown>;
}

export const SOAP_OPERATIONS = {
  'authors.create': {
    input: (args) => fields(args),
    output: (a: Author) => ({ author: author(a) }),
  },
  'authors.get': { input: (args) => fields(args), output: (a: Author) => ({ author: author(a) }) },
  'authors.list': {
    input: (args) => integers(fields(args), 'limit'),
    output: (page: Page<Author>) => ({
      author: page.items.map(author),
      ...optional('nextCursor', page.nextCursor),
    }),
  },
  'books.create': {
    input: (args) => integers(fields(args), 'priceCents', 'stock'),
    output: (b: Book) => ({ book: book(b) }),
  },
  'books.get': { input: (args) => fields(args), output: (b: Book) => ({ book: book(b) }) },
  'books.list': {
    input: (args) => integers(fields(args), 'limit'),
    output: (page: Page<Book>) => ({
      book: page.items.map(book),
      ...optional('nextCursor', page.nextCursor),
    }),
  },
  'books.update': {
    input: (args) => integers(fields(args), 'priceCents', 'expectedVersion'),
    output: (b: Book) => ({ book: book(b) }),
  },
  'books.delete': { input: (args) => fields(args), output: ({ id }: { id: string }) => ({ id }) },
  'books.adjustStock': {
    input: (args) => integers(fields(args), 'delta'),
    output: (b: Book) => ({ book: book(b) }),
  },
  'orders.place': {
    // One `line` child per line: node `soap` gives an array, or an object for a single line.
    input: (args) => {
      const { line, ...rest } = fields(args);
      const lines = line === undefined ? [] : Array.isArray(line) ? line : [line];
      return {
        ...rest,
        lines: lines.map((each) => integers(fields(each as SoapArgs), 'quantity')),
      };
    },
    output: (o: Order) => ({ order: order(o) }),
  },
  'orders.get': { input: (args) => fields(args), output: (o: Order) => ({ order: order(o) }) },
  'orders.cancel': { input: (args) => fields(args), output: (o: Order) => ({ order: order(o) }) },
} as const satisfies Record<OperationName, SoapOperation>;

/** The catalogue operation a SOAP operation name serves (`CreateBook` → `books.create`). */
export const OPERATION_BY_SOAP_NAME: ReadonlyMap<string, OperationName> = new Map(
  (Object.keys(catalogue) as OperationName[]).map((name) => [catalogue[name].soap, name]),
);

/**
 * The element's children, without the attributes node `soap` collects; an
 * element with an attribute but no children (`<bio xsi:nil="true"/>`, say)
 * keeps its text, if any.
 */
function fields(args: SoapArgs): Record<string, unknown> {
  if (args === null || args === undefined || typeof args !== 'object') return {};
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (key === 'attributes') continue;
    result[key] = textOf(value);
  }
  return result;
}

function textOf(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const node = value as Record<string, unknown>;
  if ('$value' in node) return node['$value'];
  // An empty element (`<bio/>`) is the empty string, as XML reads it.
  return Object.keys(node).every((key) => key === 'attributes') ? '' : node;
}

/**
 * XSD `int` text as a number when it is one (§3.3.17: an optional sign and
 * digits); anything else is left as text, for the domain to refuse with the
 * field's path.
 */
function integers(input: Record<string, unknown>, ...names: string[]): Record<string, unknown> {
  const result = { ...input };
  for (const name of names) {
    const value = result[name];
    if (typeof value === 'string' && /^[+-]?\d{1,10}$/.test(value.trim())) {
      result[name] = Number(value.trim());
    }
  }
  return result;
}

function optional(name: string, value: string | null): Record<string, string> {
  return value === null ? {} : { [name]: value };
}

function author(a: Author) {
  return { id: a.id, name: a.name, ...optional('bio', a.bio), createdAt: a.createdAt };
}

function book(b: Book) {
  return {
    id: b.id,
    title: b.title,
    authorId: b.authorId,
    isbn: b.isbn,
    priceCents: b.priceCents,
    stock: b.stock,
    version: b.version,
    createdAt: b.createdAt,
    updatedAt: b.updatedAt,
  };
}

function order(o: Order) {
  return {
    id: o.id,
    status: o.status,
    line: o.lines.map((line) => ({
      bookId: line.bookId,
      quantity: line.quantity,
      unitPriceCents: line.unitPriceCents,
    })),
    totalCents: o.totalCents,
    createdAt: o.createdAt,
  };
}
