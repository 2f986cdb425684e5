import { type Book } from '../model';
import { type ByIdInput } from '../schemas';
import { assertCanExist, found } from './lookups';
import { type UseCase, type UseCaseDependencies } from './use-case';

export class GetBookUseCase implements UseCase<ByIdInput, Book> {
  constructor(private readonly deps: UseCaseDependencies) {}

  async execute({ id }: ByIdInput): Promise<Book> {
    assertCanExist('book', id);
    return found('book', id, await this.deps.store.read(({ books }) => books.findById(id)));
  }
}
