import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../project-root.js';

/**
 * CSP hashes (`'sha256-…'`) of the inline scripts of the client's index.html: the one that applies the stored
 * language before first paint, so a Dari page never flashes left-to-right. Read from the built page when there
 * is one (what is served), else from the source.
 */
export function inlineScriptHashes(root: string = projectRoot()): string[] {
  const candidates = [
    path.join(root, 'dist', 'client', 'index.html'),
    path.join(root, 'client', 'index.html'),
  ];
  const file = candidates.find((f) => fs.existsSync(f));
  if (!file) return [];
  const page = fs.readFileSync(file, 'utf8');
  return [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    (m) => `'sha256-${crypto.createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`,
  );
}
