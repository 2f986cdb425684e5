import { Args, Context, ID, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { RootField } from './graphql.bindings';
import { Bookshop, type IdempotencyKey } from '@bookshop/domain';
import { Idempotency } from './idempotency';
import { toConnection, withoutNulls } from './graphql-input';
import { nullIfNotFound } from './graphql-errors';
import { type GraphqlContext } from './loaders';
import {
  AuthorModel,
  BookConnectionModel,
  BookFilter,
  BookModel,
  CreateBookInput,
  PageArgs,
  UpdateBookInput,
} from './models';

@Resolver(() => BookModel)
export class BooksResolver {
  constructor(private readonly bookshop: Bookshop) {}

  @RootField('books.get', () => BookModel, { nullable: true })
  book(@Args('id', { type: () => ID }) id: string) {
    return nullIfNotFound(this.bookshop.execute('books.get', { id }));
  }

  @RootField('books.list', () => BookConnectionModel)
  async books(
    @Args('filter', { type: () => BookFilter, nullable: true }) filter: BookFilter | null,
    @Args() { first, after }: PageArgs,
  ) {
    const input = { ...withoutNulls(filter), ...withoutNulls({ limit: first, cursor: after }) };
    return toConnection(await this.bookshop.execute('books.list', input));
  }

  @RootField('books.create', () => BookModel)
  createBook(
    @Args('input', { type: () => CreateBookInput }) input: CreateBookInput,
    @Idempotency() idempotency: IdempotencyKey | undefined,
  ) {
    return this.bookshop.execute('books.create', withoutNulls(input), idempotency);
  }

  @RootField('books.update', () => BookModel)
  updateBook(
    @Args('id', { type: () => ID }) id: string,
    @Args('input', { type: () => UpdateBookInput }) input: UpdateBookInput,
    @Idempotency() idempotency: IdempotencyKey | undefined,
  ) {
    return this.bookshop.execute('books.update', { ...withoutNulls(input), id }, idempotency);
  }

  @RootField('books.delete', () => ID)
  async deleteBook(
    @Args('id', { type: () => ID }) id: string,
    @Idempotency() idempotency: IdempotencyKey | undefined,
  ) {
    return (await this.bookshop.execute('books.delete', { id }, idempotency)).id;
  }

  @RootField('books.adjustStock', () => BookModel)
  adjustStock(
    @Args('id', { type: () => ID }) id: string,
    @Args('delta', { type: () => Int }) delta: number,
    @Idempotency() idempotency: IdempotencyKey | undefined,
  ) {
    return this.bookshop.execute('books.adjustStock', { id, delta }, idempotency);
  }

  @ResolveField('author', () => AuthorModel)
  async author(@Parent() book: BookModel, @Context() context: GraphqlContext) {
    const author = await context.loaders.author.load(book.authorId);
    // A book's author always exists (a foreign key holds it); its absence is a fault, not a client error.
    if (!author) throw new Error(`Author ${book.authorId} of book ${book.id} is missing`);
    return author;
  }
}
