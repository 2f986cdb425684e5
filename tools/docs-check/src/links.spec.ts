import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';

const ROOT = join(__dirname, '../../..');

/** The project's own Markdown: the README, docs/ and each app's README. */
function markdownFiles(): string[] {
  const docs = (folder: string): string[] =>
    readdirSync(folder).flatMap((name) => {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) return docs(path);
      return name.endsWith('.md') ? [path] : [];
    });
  const apps = readdirSync(join(ROOT, 'apps'))
    .map((app) => join(ROOT, 'apps', app, 'README.md'))
    .filter((path) => existsSync(path));
  return [join(ROOT, 'README.md'), ...docs(join(ROOT, 'docs')), ...apps];
}

interface Link {
  text: string;
  target: string;
}

/** `[text](target)` links that point into the repository (not URLs, not in-page anchors). */
export function localLinks(markdown: string): Link[] {
  return [...markdown.matchAll(/\[([^\]]+)\]\(([^)\s]+)\)/g)]
    .map((match) => ({ text: match[1]!, target: match[2]! }))
    .filter(({ target }) => !/^[a-z]+:/i.test(target) && !target.startsWith('#'));
}

/**
 * The names a link's code-span text claims the target holds:
 * `` `BooksController.update` `` → BooksController and update;
 * `` `REST_BINDINGS['books.update']` `` → REST_BINDINGS and 'books.update'.
 * A code span that spells the target's own path (or its end) names the file
 * itself, not anything in it.
 */
export function claimedNames(text: string, target = ''): string[] {
  const code = /^`([^`]+)`$/.exec(text)?.[1];
  if (!code || (target !== '' && target.endsWith(code))) return [];
  const quoted = [...code.matchAll(/'([^']+)'/g)].map((match) => `'${match[1]}'`);
  const identifiers = code.replace(/'[^']*'/g, '').match(/[A-Za-z_$][\w$]*/g) ?? [];
  return [...identifiers, ...quoted];
}

const files = markdownFiles();

describe('links in the documentation', () => {
  it('reads links and the names they claim', () => {
    expect(localLinks('[a](../x.ts) [b](https://e.org) [c](#top)')).toEqual([
      { text: 'a', target: '../x.ts' },
    ]);
    expect(claimedNames("`REST_BINDINGS['books.update']`")).toEqual([
      'REST_BINDINGS',
      "'books.update'",
    ]);
    expect(claimedNames('`BooksController.update`')).toEqual(['BooksController', 'update']);
    expect(claimedNames('plain words')).toEqual([]);
    expect(claimedNames('`libs/domain/src/examples.ts`', 'libs/domain/src/examples.ts')).toEqual(
      [],
    );
    expect(claimedNames('`examples.ts`', '../libs/domain/src/examples.ts')).toEqual([]);
  });

  it('covers the tour', () => {
    expect(files.map((file) => relative(ROOT, file))).toContain('docs/tour.md');
  });

  it.each(files.map((file) => [relative(ROOT, file), file]))(
    '%s links only to files that exist, holding the symbols it names',
    (_name, file) => {
      const broken = localLinks(readFileSync(file, 'utf8')).flatMap(({ text, target }) => {
        const path = join(dirname(file), decodeURIComponent(target.split('#')[0]!));
        // CONTRACT.md and ARCHITECTURE.md sit beside the repository, not in a clone of it.
        if (relative(ROOT, path).startsWith('..')) return [];
        if (!existsSync(path)) return [`${target}: no such file`];
        if (statSync(path).isDirectory() || extname(path) !== '.ts') return [];
        const source = readFileSync(path, 'utf8');
        return claimedNames(text, target)
          .filter((name) => !new RegExp(`(^|[^\\w$])${escape(name)}($|[^\\w$])`).test(source))
          .map((name) => `${target}: no ${name}`);
      });
      expect(broken).toEqual([]);
    },
  );
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
