import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { expect } from 'chai';
import { FONT_FACES } from '../../server/http/font-preloads.js';
import { VIEW_MODULES } from '../../server/http/app-shell.js';
import type { RunningServer } from '../../server/main.js';
import { projectRoot } from '../../server/project-root.js';
import { ensureClientBuilt } from '../client/helpers/browser.js';
import { startTestServer } from '../helpers/server.js';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body, decoded when it came compressed. */
  text: string;
}

/** A GET that shows the headers as sent and decodes the body itself. */
function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        // (a 304 names the encoding of what it stands for, with no body)
        const encoding = body.length ? res.headers['content-encoding'] : undefined;
        const text = (
          encoding === 'br'
            ? zlib.brotliDecompressSync(body)
            : encoding === 'gzip'
              ? zlib.gunzipSync(body)
              : body
        ).toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, text });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** A browser that has signed in (the shell only looks whether the session cookie is there). */
const SIGNED_IN = { 'accept-encoding': 'br, gzip', cookie: 'rv_session=any-session' };
const clientDir = path.join(projectRoot(), 'dist', 'client');

const modulePreloads = (html: string) =>
  [...html.matchAll(/<link rel="modulepreload" crossorigin href="([^"]+)">/g)].map((m) => m[1]!);
const stylePreloads = (html: string) =>
  [...html.matchAll(/<link rel="preload" as="style" crossorigin href="([^"]+)">/g)].map((m) => m[1]!);

/** The app shell as sent for each address: the view's chunks preloaded, the fonts named, caching unchanged. */
describe('http/app-shell', function () {
  this.timeout(300_000);
  let server: RunningServer;
  let plain: Raw;

  before(async () => {
    await ensureClientBuilt();
    server = await startTestServer();
    plain = await get(`${server.url}/`, { 'accept-encoding': 'br, gzip' });
  });

  after(async () => {
    await server?.stop();
  });

  it("should preload the inbox's chunks in the shell sent for /inbox, each served and cached as immutable", async () => {
    // when a signed-in browser opens the inbox's address
    const res = await get(`${server.url}/inbox`, SIGNED_IN);
    // then the shell names the inbox's own chunk and the views' shared chunk, beside the shell's own preloads
    expect(res.status).to.equal(200);
    const added = modulePreloads(res.text).filter((u) => !modulePreloads(plain.text).includes(u));
    expect(
      added.some((u) => /\/assets\/rv-inbox-[^/]+\.js$/.test(u)),
      added.join(),
    ).to.equal(true);
    expect(
      added.some((u) => /\/assets\/views-shared-[^/]+\.js$/.test(u)),
      added.join(),
    ).to.equal(true);
    // and never the modeller or bpmn-js
    expect(added.filter((u) => /rv-modeller|bpmn|NavigatedViewer/.test(u))).to.deep.equal([]);
    // and every one of them exists and is a year-long immutable script
    for (const url of added) {
      const chunk = await get(`${server.url}${url}`, { 'accept-encoding': 'br, gzip' });
      expect(chunk.status, url).to.equal(200);
      expect(chunk.headers['cache-control'], url).to.equal(IMMUTABLE);
      expect(chunk.headers['content-type'], url).to.match(/javascript/);
    }
  });

  it("should preload the modeller's chunks and stylesheet for /modeller and its sub-addresses", async () => {
    for (const url of ['/modeller', '/modeller/policy-approval/2']) {
      // when
      const res = await get(`${server.url}${url}`, SIGNED_IN);
      // then
      expect(
        modulePreloads(res.text).some((u) => /\/assets\/rv-modeller-[^/]+\.js$/.test(u)),
        url,
      ).to.equal(true);
      const styles = stylePreloads(res.text);
      expect(
        styles.some((u) => /\/assets\/rv-modeller-[^/]+\.css$/.test(u)),
        url,
      ).to.equal(true);
      for (const style of styles) expect(fs.existsSync(path.join(clientDir, style)), style).to.equal(true);
    }
  });

  it('should add no view preloads without a session, nor for an address that is no view', async () => {
    // given the shell as built
    const built = modulePreloads(plain.text);
    // when a browser without a session opens the inbox (it will be sent to sign-in), or anyone opens sign-in
    const anonymous = await get(`${server.url}/inbox`, { 'accept-encoding': 'br, gzip' });
    const signIn = await get(`${server.url}/sign-in`, SIGNED_IN);
    // then both get the shell's own preloads only
    expect(modulePreloads(anonymous.text)).to.deep.equal(built);
    expect(modulePreloads(signIn.text)).to.deep.equal(built);
    expect(stylePreloads(anonymous.text)).to.deep.equal([]);
  });

  it('should keep the caching of the shell: no-cache, Vary, and a 304 for its own ETag per address', async () => {
    // given the inbox's shell and the plain one
    const inbox = await get(`${server.url}/inbox`, SIGNED_IN);
    expect(inbox.headers.etag).to.be.a('string');
    expect(inbox.headers.etag).to.not.equal(plain.headers.etag);
    for (const [url, res, headers] of [
      ['/inbox', inbox, SIGNED_IN],
      ['/', plain, { 'accept-encoding': 'br, gzip' }],
    ] as const) {
      expect(res.headers['cache-control'], url).to.equal('no-cache');
      expect(res.headers.vary, url).to.match(/accept-encoding/i);
      expect(res.headers['content-encoding'], url).to.equal('br');
      // when the browser revalidates its copy
      const again = await get(`${server.url}${url}`, {
        ...headers,
        'if-none-match': String(res.headers.etag),
      });
      // then
      expect(again.status, url).to.equal(304);
    }
    // and the inbox's ETag does not pass for the plain shell's (a signed-out reload gets the new page)
    const other = await get(`${server.url}/inbox`, {
      'accept-encoding': 'br, gzip',
      'if-none-match': String(inbox.headers.etag),
    });
    expect(other.status).to.equal(200);
  });

  it("should name each language's font files for the boot script, all of them built", () => {
    // when the shell's font list is read
    const json = /<script type="application\/json" id="rv-fonts">([\s\S]*?)<\/script>/.exec(plain.text);
    expect(json, 'the font list').to.not.equal(null);
    const fonts = JSON.parse(json![1]!) as Record<'fa' | 'en', string[]>;
    // then every face of each language is there, as a built woff2 file
    for (const lang of ['fa', 'en'] as const) {
      expect(fonts[lang], lang).to.have.length(FONT_FACES[lang].length);
      for (const url of fonts[lang]) {
        expect(url).to.match(/^\/assets\/vazirmatn-[a-z]+-\d00-normal-[^/]+\.woff2$/);
        expect(fs.existsSync(path.join(clientDir, url)), url).to.equal(true);
      }
    }
    expect(fonts.fa[0]).to.match(/arabic-400/);
  });

  it("should know every view the client's shell loads, by the same module", () => {
    // given the sections of the client's shell: path and the module it imports
    const source = fs.readFileSync(
      path.join(projectRoot(), 'client', 'src', 'components', 'rv-app.ts'),
      'utf8',
    );
    const sections = [
      ...source.matchAll(/path: '([a-z-]+)',[\s\S]*?load: \(\) => import\('\.\/([a-z-]+)\.js'\)/g),
    ];
    expect(sections.length).to.be.greaterThan(5);
    // then the server's table has each of them
    for (const [, view, module] of sections)
      expect(VIEW_MODULES[view!], view).to.equal(`src/components/${module}.ts`);
    expect(Object.keys(VIEW_MODULES)).to.have.length(sections.length);
  });

  it('should not serve the build manifest', async () => {
    const res = await get(`${server.url}/.vite/manifest.json`, SIGNED_IN);
    expect(res.text).to.not.match(/"isDynamicEntry"/);
  });
});
