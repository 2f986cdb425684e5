import { Injectable } from '@nestjs/common';
import { DomainError } from '@bookshop/domain';
import { ApiKeys, RateLimits } from '@bookshop/platform';
import { type Connection } from './connection';

/**
 * The `auth` op: `{"op": "auth", "params": {"token": "<key>"}}` as the first
 * frame, for clients that cannot set headers on the upgrade (browsers). One
 * try per connection; failures count toward the address's limit.
 */
@Injectable()
export class FrameAuth {
  constructor(
    private readonly keys: ApiKeys,
    private readonly limits: RateLimits,
  ) {}

  async authenticate(connection: Connection, params: Record<string, unknown>): Promise<void> {
    if (!connection.firstFrameIsAuth || connection.authTried) {
      throw new DomainError('BAD_REQUEST', 'auth must be the first frame of a connection');
    }
    connection.authTried = true;
    const address = connection.address ?? 'unknown';
    await this.limits.assertMayAuthenticate(address);
    const token = params['token'];
    if (typeof token !== 'string' || !this.keys.verify(token)) {
      await this.limits.authenticationFailed(address);
      throw new DomainError('UNAUTHENTICATED', 'The API key is not valid');
    }
    connection.authorization = `Bearer ${token}`;
  }
}
