import { type Author } from '../model';
import { type ByIdInput } from '../schemas';
import { assertCanExist, found } from './lookups';
import { type UseCase, type UseCaseDependencies } from './use-case';

export class GetAuthorUseCase implements UseCase<ByIdInput, Author> {
  constructor(private readonly deps: UseCaseDependencies) {}

  async execute({ id }: ByIdInput): Promise<Author> {
    assertCanExist('author', id);
    return found('author', id, await this.deps.store.read(({ authors }) => authors.findById(id)));
  }
}
