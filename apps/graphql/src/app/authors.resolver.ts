import {
  Args,
  Context,
  ID,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { Bookshop } from '@bookshop/domain';
import { ServesOperation } from '@bookshop/platform';
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

  @Query(() => AuthorModel, { name: 'author', nullable: true })
  @ServesOperation('authors.get')
  author(@Args('id', { type: () => ID }) id: string) {
    return nullIfNotFound(this.bookshop.execute('authors.get', { id }));
  }

  @Query(() => AuthorConnectionModel, { name: 'authors' })
  @ServesOperation('authors.list')
  async authors(@Args() { first, after }: PageArgs) {
    return toConnection(
      await this.bookshop.execute('authors.list', withoutNulls({ limit: first, cursor: after })),
    );
  }

  @Mutation(() => AuthorModel, { name: 'createAuthor' })
  @ServesOperation('authors.create')
  createAuthor(@Args('input', { type: () => CreateAuthorInput }) input: CreateAuthorInput) {
    return this.bookshop.execute('authors.create', withoutNulls(input));
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
