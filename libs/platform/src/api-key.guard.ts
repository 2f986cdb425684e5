import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catalogue, DomainError, type OperationName } from '@bookshop/domain';
import { ApiKeys, bearerToken } from './api-keys';

const OPERATION = 'bookshop:operation';

/** Marks a handler as serving one catalogue operation; the guard asks the catalogue whether it writes. */
export const ServesOperation = (name: OperationName) => SetMetadata(OPERATION, name);

/**
 * Reads are public; a handler that serves a writing operation needs
 * `Authorization: Bearer <key>` (CONTRACT.md, "Credentials").
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeys,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const name = this.reflector.get<OperationName | undefined>(OPERATION, context.getHandler());
    if (!name || !catalogue[name].writes) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    if (this.keys.verify(bearerToken(request.headers['authorization']))) return true;
    throw new DomainError('UNAUTHENTICATED', 'This operation needs an API key: Authorization: Bearer <key>');
  }
}
