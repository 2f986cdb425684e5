import { parseEnvironment } from '@bookshop/platform';
import { z } from 'zod';

export interface SoapSettings {
  /** Elements nested deeper than this are refused; the Envelope is level 1. */
  maxDepth: number;
}

export function loadSoapSettings(env: Record<string, string | undefined>): SoapSettings {
  const values = parseEnvironment(
    z.object({
      SOAP_MAX_DEPTH: z
        .string()
        .regex(/^\d+$/, 'must be a whole number')
        .transform(Number)
        .pipe(z.number().min(8, 'must be at least 8 (requests are 5 levels deep)').max(1000))
        .optional(),
    }),
    env,
    'soap',
  );
  return { maxDepth: values.SOAP_MAX_DEPTH ?? 32 };
}

export const SOAP_SETTINGS = Symbol('SOAP_SETTINGS');
