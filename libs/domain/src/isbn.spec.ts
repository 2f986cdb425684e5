import { isbn13CheckDigit, normalizeIsbn } from './isbn';

describe('normalizeIsbn', () => {
  it('accepts 13 digits with a valid checksum', () => {
    expect(normalizeIsbn('9780547773742')).toEqual({ ok: true, isbn: '9780547773742' });
  });

  it('strips hyphens and spaces', () => {
    expect(normalizeIsbn('978-0-547-77374-2')).toEqual({ ok: true, isbn: '9780547773742' });
    expect(normalizeIsbn(' 978 0547 77374 2 ')).toEqual({ ok: true, isbn: '9780547773742' });
  });

  it('accepts the 979 prefix', () => {
    const first12 = '979100000001';
    const isbn = `${first12}${isbn13CheckDigit(first12)}`;
    expect(normalizeIsbn(isbn)).toEqual({ ok: true, isbn });
  });

  it('rejects a wrong checksum digit', () => {
    expect(normalizeIsbn('9780547773743')).toEqual({
      ok: false,
      message: 'ISBN checksum digit is wrong',
    });
  });

  it.each(['978054777374', '97805477737421', '978054777374X', '', 'isbn'])(
    'rejects %j, which is not 13 digits',
    (raw) => {
      expect(normalizeIsbn(raw).ok).toBe(false);
    },
  );

  it('rejects an ISBN-10', () => {
    expect(normalizeIsbn('0-547-77374-3').ok).toBe(false);
  });

  it('rejects 13 digits without the 978/979 prefix', () => {
    const first12 = '123456789012';
    expect(normalizeIsbn(`${first12}${isbn13CheckDigit(first12)}`)).toEqual({
      ok: false,
      message: 'ISBN-13 must start with 978 or 979',
    });
  });

  it('computes the check digit with alternating weights 1 and 3', () => {
    expect(isbn13CheckDigit('978030640615')).toBe(7);
    expect(isbn13CheckDigit('978000000000')).toBe((10 - ((9 + 7 * 3 + 8) % 10)) % 10);
  });
});
