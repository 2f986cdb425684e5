/** The entities of CONTRACT.md, as every protocol shows them. Times are ISO-8601 UTC strings. */

export interface Author {
  id: string;
  name: string;
  bio: string | null;
  createdAt: string;
}

export interface Book {
  id: string;
  title: string;
  authorId: string;
  /** 13 digits, checksum valid. */
  isbn: string;
  priceCents: number;
  stock: number;
  /** Starts at 1 and grows by 1 on every change, stock changes included. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type OrderStatus = 'PLACED' | 'CANCELLED';

export interface OrderLine {
  bookId: string;
  quantity: number;
  /** The book's price when the order was placed. */
  unitPriceCents: number;
}

export interface Order {
  id: string;
  status: OrderStatus;
  lines: OrderLine[];
  totalCents: number;
  createdAt: string;
}

/** One page of a list; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Limits of the contract, in one place. */
export const LIMITS = {
  authorName: 200,
  authorBio: 2000,
  bookTitle: 300,
  priceCents: 10_000_000,
  stock: 1_000_000,
  stockDelta: 1_000_000,
  orderLines: 50,
  lineQuantity: 100,
  pageSize: 100,
  defaultPageSize: 20,
  searchText: 200,
} as const;
