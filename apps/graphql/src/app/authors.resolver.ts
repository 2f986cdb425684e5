import { Args, Context, ID, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { RootField } from './graphql.bindings';
import { Bookshop, type IdempotencyKey } from '@bookshop/domain';
import { Idempotency } from './idempotency';
import { toConnection, withoutNulls } from './graphql-input';
import { nullIfNotFound } from './graphql-errors';
import { type GraphqlContext } from './loaders';
import {
  AuthorConnectionModel,
  AuthorModel,
  BookConnectionModel,
  CreateAuthorInput,
  PageArgs,
} from './models';

@Resolver(() => AuthorModel)
export class AuthorsResolver {
  constructor(private readonly bookshop: Bookshop) {}

  @RootField('authors.get', () => AuthorModel, { nullable: true })
  author(@Args('id', { type: () => ID }) id: string) {
    return nullIfNotFound(this.bookshop.execute('authors.get', { id }));
  }

  @RootField('authors.list', () => AuthorConnectionModel)
  async authors(@Args() { first, after }: PageArgs) {
    return toConnection(
      await this.bookshop.execute('authors.list', withoutNulls({ limit: first, cursor: after })),
    );
  }

  @RootField('authors.create', () => AuthorModel)
  createAuthor(
    @Args('input', { type: () => CreateAuthorInput }) input: CreateAuthorInput,
    @Idempotency() idempotency: IdempotencyKey | undefined,
  ) {
    return this.bookshop.execute('authors.create', withoutNulls(input), idempotency);
  }

  @ResolveField('books', () => BookConnectionModel)
  async books(
    @Parent() author: AuthorModel,
    @Args() { first, after }: PageArgs,
    @Context() context: GraphqlContext,
  ) {
    return toConnection(
      await context.loaders.booksOfAuthor.load({
        authorId: author.id,
        ...withoutNulls({ first, after }),
      }),
    );
  }
}
