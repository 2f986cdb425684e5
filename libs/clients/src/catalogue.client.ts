import type {
  Author,
  Book,
  OperationInput,
  OperationName,
  OperationResult,
  Order,
  Page,
} from '@bookshop/domain';
import { type BookshopClient, type Protocol } from './bookshop-client';

/**
 * The twelve methods for protocols that address an operation by its
 * catalogue name (JSON-RPC methods, WebSocket ops): each is one `call`.
 */
export abstract class CatalogueClient implements BookshopClient {
  abstract readonly protocol: Protocol;

  /** Sends one operation by its catalogue name and resolves with its result. */
  abstract call<N extends OperationName>(
    name: N,
    input: OperationInput<N>,
  ): Promise<OperationResult<N>>;

  abstract close(): Promise<void>;

  createAuthor(input: OperationInput<'authors.create'>): Promise<Author> {
    return this.call('authors.create', input);
  }

  getAuthor(input: OperationInput<'authors.get'>): Promise<Author> {
    return this.call('authors.get', input);
  }

  listAuthors(input: OperationInput<'authors.list'> = {}): Promise<Page<Author>> {
    return this.call('authors.list', input);
  }

  createBook(input: OperationInput<'books.create'>): Promise<Book> {
    return this.call('books.create', input);
  }

  getBook(input: OperationInput<'books.get'>): Promise<Book> {
    return this.call('books.get', input);
  }

  listBooks(input: OperationInput<'books.list'> = {}): Promise<Page<Book>> {
    return this.call('books.list', input);
  }

  updateBook(input: OperationInput<'books.update'>): Promise<Book> {
    return this.call('books.update', input);
  }

  deleteBook(input: OperationInput<'books.delete'>): Promise<{ id: string }> {
    return this.call('books.delete', input);
  }

  adjustStock(input: OperationInput<'books.adjustStock'>): Promise<Book> {
    return this.call('books.adjustStock', input);
  }

  placeOrder(input: OperationInput<'orders.place'>): Promise<Order> {
    return this.call('orders.place', input);
  }

  getOrder(input: OperationInput<'orders.get'>): Promise<Order> {
    return this.call('orders.get', input);
  }

  cancelOrder(input: OperationInput<'orders.cancel'>): Promise<Order> {
    return this.call('orders.cancel', input);
  }
}
