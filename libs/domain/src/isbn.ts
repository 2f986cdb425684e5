/**
 * ISBN-13: hyphens and spaces are allowed on input, the stored form is the
 * 13 digits, and the last digit is the checksum (ISO 2108: weights 1 and 3
 * alternate, the weighted sum is a multiple of 10).
 */
export type IsbnResult = { ok: true; isbn: string } | { ok: false; message: string };

export function normalizeIsbn(raw: string): IsbnResult {
  const compact = raw.trim().replace(/[-\s]/g, '');
  if (!/^\d{13}$/.test(compact)) {
    return { ok: false, message: 'ISBN must be 13 digits (hyphens and spaces allowed)' };
  }
  if (!compact.startsWith('978') && !compact.startsWith('979')) {
    return { ok: false, message: 'ISBN-13 must start with 978 or 979' };
  }
  if (isbn13CheckDigit(compact.slice(0, 12)) !== Number(compact[12])) {
    return { ok: false, message: 'ISBN checksum digit is wrong' };
  }
  return { ok: true, isbn: compact };
}

/** The check digit for the first twelve digits of an ISBN-13. */
export function isbn13CheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) {
    sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  }
  return (10 - (sum % 10)) % 10;
}
