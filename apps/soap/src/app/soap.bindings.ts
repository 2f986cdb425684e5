import {
  type Author,
  type Book,
  type Order,
  type OperationName,
  type Page,
} from '@bookshop/domain';
import { operationsByName } from '@bookshop/platform';

/** The request element's children as node `soap` reads them. */
export type SoapArgs = Record<string, unknown> | null | undefined;

/**
 * How one operation reads its request element and shapes its response
 * element (bookshop.wsdl): the element's children are the operation's
 * parameters by name (node `soap` has read xsd:int ones with readXsdInt);
 * the response holds `author`, `book` or `order` children in the schema's
 * order.
 */
export interface SoapBinding {
  /** The WSDL operation, and the `<name>` and `<name>Response` elements. */
  name: string;
  /** Absent: the element's children as they are. */
  input?: (args: SoapArgs) => Record<string, unknown>;
  /** The other way, for a client writing the element: the operation's input as its children. */
  request?: (input: Record<string, unknown>) => Record<string, unknown>;
  output: (result: never) => Record<string, unknown>;
}

/**
 * How node `soap` reads xsd:int text: a number when the text is an optional
 * sign and digits (XSD 1.0 §3.3.17), else the text as it is, for the domain
 * to refuse with the field's path. (node `soap`'s own reading is parseInt,
 * which takes "12abc" for 12.)
 */
export function readXsdInt(text: string): number | string {
  return /^[+-]?\d+$/.test(text) ? Number(text) : text;
}

/** Every catalogue operation as a WSDL operation of BookshopPortType (ARCHITECTURE.md rule 3). */
export const SOAP_BINDINGS = {
  'authors.create': {
    name: 'CreateAuthor',
    output: (a: Author) => ({ author: author(a) }),
  },
  'authors.get': {
    name: 'GetAuthor',
    output: (a: Author) => ({ author: author(a) }),
  },
  'authors.list': {
    name: 'ListAuthors',
    output: (page: Page<Author>) => ({
      author: page.items.map(author),
      ...optional('nextCursor', page.nextCursor),
    }),
  },
  'books.create': {
    name: 'CreateBook',
    output: (b: Book) => ({ book: book(b) }),
  },
  'books.get': {
    name: 'GetBook',
    output: (b: Book) => ({ book: book(b) }),
  },
  'books.list': {
    name: 'ListBooks',
    output: (page: Page<Book>) => ({
      book: page.items.map(book),
      ...optional('nextCursor', page.nextCursor),
    }),
  },
  'books.update': {
    name: 'UpdateBook',
    output: (b: Book) => ({ book: book(b) }),
  },
  'books.delete': {
    name: 'DeleteBook',
    output: ({ id }: { id: string }) => ({ id }),
  },
  'books.adjustStock': {
    name: 'AdjustStock',
    output: (b: Book) => ({ book: book(b) }),
  },
  'orders.place': {
    name: 'PlaceOrder',
    // One `line` child per line: node `soap` gives an array, or an object for a single line.
    input: (args) => {
      const { line, ...rest } = fields(args);
      const lines = line === undefined ? [] : Array.isArray(line) ? line : [line];
      return {
        ...rest,
        lines: lines.map((each) => fields(each as SoapArgs)),
      };
    },
    request: ({ lines, ...rest }) => ({ ...rest, line: lines }),
    output: (o: Order) => ({ order: order(o) }),
  },
  'orders.get': {
    name: 'GetOrder',
    output: (o: Order) => ({ order: order(o) }),
  },
  'orders.cancel': {
    name: 'CancelOrder',
    output: (o: Order) => ({ order: order(o) }),
  },
} as const satisfies Record<OperationName, SoapBinding>;

/** The operation's input, read from its request element. */
export function soapInput(operation: OperationName, args: SoapArgs): Record<string, unknown> {
  const binding: SoapBinding = SOAP_BINDINGS[operation];
  return binding.input ? binding.input(args) : fields(args);
}

/** The operation's response element, shaped from its result. */
export function soapOutput(operation: OperationName, result: unknown): Record<string, unknown> {
  const binding: SoapBinding = SOAP_BINDINGS[operation];
  return binding.output(result as never);
}

/** The catalogue operation a SOAP operation name serves (`CreateBook` → `books.create`). */
export const OPERATION_BY_SOAP_NAME = operationsByName(SOAP_BINDINGS, (b) => b.name);

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
