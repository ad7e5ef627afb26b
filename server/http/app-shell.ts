import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parse as parseCookies } from 'cookie';
import type { Request, Response } from 'express';
import { SESSION_COOKIE } from '../auth/auth-service.js';
import { fontPreloads } from './font-preloads.js';

/**
 * The module of each view by the first segment of its address, as the client's shell loads them
 * (`SECTIONS` in client/src/components/rv-app.ts; test/http/app-shell.spec.ts keeps the two in step).
 */
export const VIEW_MODULES: Readonly<Record<string, string>> = {
  inbox: 'src/components/rv-inbox.ts',
  start: 'src/components/rv-start.ts',
  instances: 'src/components/rv-instance-search.ts',
  dashboard: 'src/components/rv-dashboard.ts',
  modeller: 'src/components/rv-modeller.ts',
  forms: 'src/components/rv-form-designer.ts',
  audit: 'src/components/rv-audit-desk.ts',
  admin: 'src/components/rv-admin-page.ts',
  me: 'src/components/rv-me-page.ts',
};

/** One chunk of Vite's build manifest (`build.manifest` in vite.config.ts). */
interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
  isEntry?: boolean;
}
type Manifest = Record<string, ManifestChunk>;

/** A body as sent, with its ETag. */
interface Sent {
  body: Buffer;
  etag: string;
}

/** One version of the shell: the page as it is and precompressed. */
type ShellBody = Record<'identity' | 'br' | 'gzip', Sent>;

function sent(body: Buffer): Sent {
  return { body, etag: `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

function compressed(html: string): ShellBody {
  const raw = Buffer.from(html, 'utf8');
  return {
    identity: sent(raw),
    br: sent(zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } })),
    gzip: sent(zlib.gzipSync(raw, { level: 9 })),
  };
}

/** Every chunk `key` imports, itself included, depth first. */
function closure(manifest: Manifest, key: string, into = new Set<string>()): Set<string> {
  if (into.has(key) || !manifest[key]) return into;
  into.add(key);
  for (const dep of manifest[key].imports ?? []) closure(manifest, dep, into);
  return into;
}

/**
 * The `<link>` tags that let the browser fetch a view's chunks and stylesheets while it still loads the
 * shell's own scripts, instead of one round trip after them: `modulepreload` for each script the view
 * imports that the shell does not, `preload` for its stylesheets (applied when the view's chunk asks).
 */
export function viewPreloads(manifest: Manifest, view: string): string[] {
  const module = VIEW_MODULES[view];
  if (!module || !manifest[module]) return [];
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  const shellChunks = entry ? closure(manifest, entry) : new Set<string>();
  const links: string[] = [];
  for (const key of closure(manifest, module)) {
    if (shellChunks.has(key)) continue;
    const chunk = manifest[key]!;
    links.push(`<link rel="modulepreload" crossorigin href="/${chunk.file}">`);
    for (const css of chunk.css ?? [])
      links.push(`<link rel="preload" as="style" crossorigin href="/${css}">`);
  }
  return links;
}

/** Reads the build manifest of `dir` (Vite writes it under `.vite/`); none means no preloads. */
function readManifest(dir: string): Manifest {
  const file = path.join(dir, '.vite', 'manifest.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest) : {};
}

/**
 * The app shell (`index.html`) as sent for each address: with the font files of each language for its boot
 * script to preload, and for a signed-in browser (it has a session cookie) asking for a view's address, with
 * that view's preloads added to the head. Every version is
 * built and compressed once at start, sent as brotli or gzip per `Accept-Encoding`, with an ETag of its own,
 * and revalidated on each load (`no-cache`: a 304 while unchanged).
 */
export class AppShell {
  private readonly plain: ShellBody;
  private readonly perView = new Map<string, ShellBody>();

  constructor(dir: string) {
    const html = fs
      .readFileSync(path.join(dir, 'index.html'), 'utf8')
      .replace(
        /(<script type="application\/json" id="rv-fonts">)[\s\S]*?(<\/script>)/,
        (_m, open: string, close: string) => `${open}${JSON.stringify(fontPreloads(dir))}${close}`,
      );
    this.plain = compressed(html);
    const manifest = readManifest(dir);
    for (const view of Object.keys(VIEW_MODULES)) {
      const links = viewPreloads(manifest, view);
      if (!links.length) continue;
      this.perView.set(view, compressed(html.replace('</head>', `  ${links.join('\n    ')}\n  </head>`)));
    }
  }

  /** Sends the page for `req` (GET or HEAD), or a 304 when the browser's copy is current. */
  send(req: Request, res: Response): void {
    const chosen = req.acceptsEncodings('br', 'gzip', 'identity');
    const encoding = chosen === 'br' || chosen === 'gzip' ? chosen : 'identity';
    const { body, etag } = this.version(req)[encoding];
    res.vary('Accept-Encoding');
    res.type('html');
    // names the current hashed files: revalidated on each load (as client-assets.ts's REVALIDATE)
    res.setHeader('Cache-Control', 'no-cache');
    if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
    res.setHeader('ETag', etag);
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Length', body.length);
    res.status(200).end(req.method === 'HEAD' ? undefined : body);
  }

  /** The view's version for a browser with a session, the plain one otherwise. */
  private version(req: Request): ShellBody {
    const view = req.path.split('/')[1] ?? '';
    const signedIn = !!parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
    return (signedIn && this.perView.get(view)) || this.plain;
  }
}
