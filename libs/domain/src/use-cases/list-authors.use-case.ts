import { type Author, type Page } from '../model';
import { type ListAuthorsInput } from '../schemas';
import { pageRequest, toPage, type UseCase, type UseCaseDependencies } from './use-case';

export class ListAuthorsUseCase implements UseCase<ListAuthorsInput, Page<Author>> {
  constructor(private readonly deps: UseCaseDependencies) {}

  async execute(input: ListAuthorsInput): Promise<Page<Author>> {
    const request = pageRequest(input);
    const rows = await this.deps.store.read(({ authors }) => authors.list(request));
    return toPage(rows, request);
  }
}
