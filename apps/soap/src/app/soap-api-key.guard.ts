import { Injectable } from '@nestjs/common';
import { ApiKeyGuard } from '@bookshop/platform';

/**
 * The platform's API-key guard for SOAP: the key arrives as the Password of a
 * WS-Security UsernameToken (CONTRACT.md, "Credentials"), which the endpoint
 * hands over as the call's `apiKey`.
 */
@Injectable()
export class SoapApiKeyGuard extends ApiKeyGuard {
  protected override readonly keyHint =
    'send a wsse:Security header with a UsernameToken whose Password (PasswordText) is the key';
}
