import { isUuidShaped } from '../cursor';
import { DomainError } from '../errors';
import { type Book } from '../model';
import { type ByIdInput } from '../schemas';
import { type UseCase, type UseCaseDependencies } from './use-case';

export class GetBookUseCase implements UseCase<ByIdInput, Book> {
  constructor(private readonly deps: UseCaseDependencies) {}

  async execute({ id }: ByIdInput): Promise<Book> {
    const book = isUuidShaped(id)
      ? await this.deps.store.read(({ books }) => books.findById(id))
      : undefined;
    if (!book) throw DomainError.notFound('book', id);
    return book;
  }
}
