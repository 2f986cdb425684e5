import type {
  Author,
  Book,
  OperationInput,
  OperationName,
  OperationResult,
  Order,
  Page,
} from '@bookshop/domain';
import { type BookshopClient, type Protocol, type WriteOptions } from './bookshop-client';

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
    options?: WriteOptions,
  ): Promise<OperationResult<N>>;

  abstract close(): Promise<void>;

  createAuthor(input: OperationInput<'authors.create'>, options?: WriteOptions): Promise<Author> {
    return this.call('authors.create', input, options);
  }

  getAuthor(input: OperationInput<'authors.get'>): Promise<Author> {
    return this.call('authors.get', input);
  }

  listAuthors(input: OperationInput<'authors.list'> = {}): Promise<Page<Author>> {
    return this.call('authors.list', input);
  }

  createBook(input: OperationInput<'books.create'>, options?: WriteOptions): Promise<Book> {
    return this.call('books.create', input, options);
  }

  getBook(input: OperationInput<'books.get'>): Promise<Book> {
    return this.call('books.get', input);
  }

  listBooks(input: OperationInput<'books.list'> = {}): Promise<Page<Book>> {
    return this.call('books.list', input);
  }

  updateBook(input: OperationInput<'books.update'>, options?: WriteOptions): Promise<Book> {
    return this.call('books.update', input, options);
  }

  deleteBook(
    input: OperationInput<'books.delete'>,
    options?: WriteOptions,
  ): Promise<{ id: string }> {
    return this.call('books.delete', input, options);
  }

  adjustStock(input: OperationInput<'books.adjustStock'>, options?: WriteOptions): Promise<Book> {
    return this.call('books.adjustStock', input, options);
  }

  placeOrder(input: OperationInput<'orders.place'>, options?: WriteOptions): Promise<Order> {
    return this.call('orders.place', input, options);
  }

  getOrder(input: OperationInput<'orders.get'>): Promise<Order> {
    return this.call('orders.get', input);
  }

  cancelOrder(input: OperationInput<'orders.cancel'>, options?: WriteOptions): Promise<Order> {
    return this.call('orders.cancel', input, options);
  }
}
