import { type Author } from '../model';
import { type CreateAuthorInput } from '../schemas';
import { type UseCase, type UseCaseDependencies } from './use-case';

export class CreateAuthorUseCase implements UseCase<CreateAuthorInput, Author> {
  constructor(private readonly deps: UseCaseDependencies) {}

  execute(input: CreateAuthorInput): Promise<Author> {
    const now = this.deps.clock.now().toISOString();
    const author: Author = {
      id: this.deps.ids.newId(),
      name: input.name,
      bio: input.bio,
      createdAt: now,
    };
    return this.deps.store.transaction(async ({ authors, events }) => {
      await authors.insert(author);
      await events.append([{ type: 'author.created', data: author }], now);
      return author;
    });
  }
}
