import { type Author, type Book } from './model';

/**
 * The demo catalogue a fresh embedded database starts with: the same ids,
 * times and stock on every start, so links in docs and tests stay valid.
 */
const at = (minute: number) => new Date(Date.UTC(2024, 0, 1, 9, minute)).toISOString();

export const demoAuthors: readonly Author[] = [
  {
    id: '6f1b6a0e-0b1d-4c3e-9a51-000000000001',
    name: 'Ursula K. Le Guin',
    bio: 'American author of speculative fiction.',
    createdAt: at(0),
  },
  {
    id: '6f1b6a0e-0b1d-4c3e-9a51-000000000002',
    name: 'Terry Pratchett',
    bio: 'English author of the Discworld novels.',
    createdAt: at(1),
  },
  {
    id: '6f1b6a0e-0b1d-4c3e-9a51-000000000003',
    name: 'Octavia E. Butler',
    bio: null,
    createdAt: at(2),
  },
];

const book = (
  n: number,
  authorIndex: number,
  title: string,
  isbn: string,
  priceCents: number,
  stock: number,
): Book => ({
  id: `0c9b2f4e-5d2a-4f6b-8e3c-00000000010${n}`,
  title,
  authorId: demoAuthors[authorIndex]?.id ?? '',
  isbn,
  priceCents,
  stock,
  version: 1,
  createdAt: at(10 + n),
  updatedAt: at(10 + n),
});

export const demoBooks: readonly Book[] = [
  book(1, 0, 'A Wizard of Earthsea', '9780547773742', 1099, 12),
  book(2, 0, 'The Left Hand of Darkness', '9780441478125', 1299, 7),
  book(3, 1, 'Guards! Guards!', '9780062225757', 999, 20),
  book(4, 1, 'Small Gods', '9780062237378', 1099, 3),
  book(5, 2, 'Kindred', '9780807083697', 1599, 5),
  book(6, 2, 'Parable of the Sower', '9781538732182', 1499, 1),
];
