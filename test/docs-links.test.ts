/**
 * The README and docs/ stand on their own: every relative link resolves to a file of the repository
 * (never outside it), and every #anchor to a heading (or an explicit id) of its target.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const FILES = ['README.md', 'BENCHMARKS.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');

function anchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  const found = new Set<string>();
  for (const m of text.matchAll(/^#{1,6}\s+(.+)$/gm)) found.add(slug(m[1]!));
  for (const m of text.matchAll(/<a id="([^"]+)"/g)) found.add(m[1]!);
  return found;
}

function links(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

describe('links in the README and docs/', () => {
  it('resolve inside the repository, to files and headings that exist', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const file of FILES) {
      for (const link of links(file)) {
        if (/^(https?:|mailto:)/.test(link)) continue;
        checked++;
        const [path, anchor] = link.split('#') as [string, string | undefined];
        const target = path === '' ? join(ROOT, file) : resolve(dirname(join(ROOT, file)), decodeURI(path));
        const inside = !relative(ROOT, target).startsWith('..');
        if (!inside) broken.push(`${file}: ${link} leaves the repository`);
        else if (!existsSync(target)) broken.push(`${file}: ${link} does not exist`);
        else if (anchor && target.endsWith('.md') && !anchors(target).has(anchor)) broken.push(`${file}: ${link} names no heading there`);
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });

  it('never point at the design notes outside the repository', () => {
    for (const file of FILES) expect(readFileSync(join(ROOT, file), 'utf8'), file).not.toMatch(/\.\.\/shared\/|CONTRACT\.md/);
  });
});
