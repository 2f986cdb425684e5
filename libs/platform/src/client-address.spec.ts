import { type IncomingMessage } from 'node:http';
import { clientAddressOf } from './client-address';

const upgrade = (peer: string, forwarded?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
  }) as unknown as IncomingMessage;

describe('clientAddressOf', () => {
  it('takes the peer, whatever it forwards, when no proxy is trusted', () => {
    expect(clientAddressOf([])(upgrade('172.18.0.5', '203.0.113.7'))).toBe('172.18.0.5');
  });

  it('takes the forwarded caller from a trusted proxy, and only from one', () => {
    const addressOf = clientAddressOf(['172.18.0.0/16']);
    expect(addressOf(upgrade('172.18.0.5', '203.0.113.7'))).toBe('203.0.113.7');
    // A caller cannot name itself by sending the header straight to the service.
    expect(addressOf(upgrade('198.51.100.9', '203.0.113.7'))).toBe('198.51.100.9');
    // Through two trusted hops, the first untrusted address from the right.
    expect(addressOf(upgrade('172.18.0.5', '203.0.113.7, 172.18.0.9'))).toBe('203.0.113.7');
    expect(addressOf(upgrade('172.18.0.5'))).toBe('172.18.0.5');
  });
});
