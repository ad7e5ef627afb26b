import fs from 'node:fs';
import path from 'node:path';
import { Router, type Request, type Response } from 'express';
import { AppShell } from './app-shell.js';

/** Hashed file names never change content: a browser keeps them a year without asking again. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The app shell names the current hashed files: a browser revalidates it (a 304 when unchanged). */
export const REVALIDATE = 'no-cache';

/** The encodings `npm run build` writes beside each text asset (vite.config.ts), in the server's preference. */
const ENCODINGS = [
  { name: 'br', ext: '.br' },
  { name: 'gzip', ext: '.gz' },
] as const;

interface Asset {
  /** The uncompressed file. */
  file: string;
  /** Precompressed variants by encoding name. */
  encoded: Partial<Record<(typeof ENCODINGS)[number]['name'], string>>;
  cacheControl: string;
}

/** Every file under `dir` by URL path (`/assets/x.js`), with the variants the build wrote beside it. */
function scan(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.posix.join(sub, entry.name);
      // the build's manifest (.vite/) is read by the shell, not served
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) {
        walk(rel);
        continue;
      }
      if (ENCODINGS.some((e) => entry.name.endsWith(e.ext))) continue;
      const file = path.join(dir, rel);
      const encoded: Asset['encoded'] = {};
      for (const e of ENCODINGS) if (fs.existsSync(file + e.ext)) encoded[e.name] = file + e.ext;
      const hashed = rel.startsWith('assets/');
      assets.set(`/${rel}`, { file, encoded, cacheControl: hashed ? IMMUTABLE : REVALIDATE });
    }
  };
  walk('');
  return assets;
}

/**
 * Serves the built web client from `dir`: each text asset as the build precompressed it (brotli, else gzip,
 * per `Accept-Encoding`), hashed assets cached for a year as immutable, and the app shell (`index.html`, also
 * for every client-side route, with the preloads of the view it names: app-shell.ts) revalidated on each
 * load. A missing `/assets/` file is a 404, never the shell.
 * The files are listed once at start: the server serves the build it started with.
 */
export function clientAssets(dir: string): Router {
  const assets = scan(dir);
  const shell = new AppShell(dir);
  const router = Router();

  const send = (req: Request, res: Response, asset: Asset) => {
    const offered = ENCODINGS.filter((e) => asset.encoded[e.name]).map((e) => e.name);
    const chosen = offered.length ? req.acceptsEncodings(...offered, 'identity') : false;
    const encoding = offered.find((e) => e === chosen);
    const encoded = encoding && asset.encoded[encoding];
    if (offered.length) res.vary('Accept-Encoding');
    res.type(path.extname(asset.file));
    res.setHeader('Cache-Control', asset.cacheControl);
    if (encoding) res.setHeader('Content-Encoding', encoding);
    res.sendFile(encoded ?? asset.file, {
      cacheControl: false,
      // byte ranges of a compressed body would not match the file's: serve encoded variants whole
      acceptRanges: !encoded,
    });
  };

  router.get(/^\/(?!api\/|socket\.io\/|healthz|verify\/)/, (req, res, next) => {
    if (req.path === '/' || req.path === '/index.html') return shell.send(req, res);
    const asset = assets.get(req.path);
    if (asset) return send(req, res, asset);
    // a hashed file this build does not have (a page from an older build): a 404, not the app shell
    if (req.path.startsWith('/assets/')) return next();
    // client-side routes fall back to the app shell
    shell.send(req, res);
  });
  return router;
}
