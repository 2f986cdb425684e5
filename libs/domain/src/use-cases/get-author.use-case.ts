import { isUuidShaped } from '../cursor';
import { DomainError } from '../errors';
import { type Author } from '../model';
import { type ByIdInput } from '../schemas';
import { type UseCase, type UseCaseDependencies } from './use-case';

export class GetAuthorUseCase implements UseCase<ByIdInput, Author> {
  constructor(private readonly deps: UseCaseDependencies) {}

  async execute({ id }: ByIdInput): Promise<Author> {
    const author = isUuidShaped(id)
      ? await this.deps.store.read(({ authors }) => authors.findById(id))
      : undefined;
    if (!author) throw DomainError.notFound('author', id);
    return author;
  }
}
