import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { expect } from 'chai';
import type { RunningServer } from '../../server/main.js';
import { projectRoot } from '../../server/project-root.js';
import { ensureClientBuilt } from '../client/helpers/browser.js';
import { startTestServer } from '../helpers/server.js';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as it crossed the wire (still compressed). */
  body: Buffer;
}

/** A request that leaves the body as sent (fetch would decompress it). */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function decoded(res: Raw): Buffer {
  const encoding = res.headers['content-encoding'];
  if (encoding === 'br') return zlib.brotliDecompressSync(res.body);
  if (encoding === 'gzip') return zlib.gunzipSync(res.body);
  return res.body;
}

const clientDir = path.join(projectRoot(), 'dist', 'client');
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The built client as the server sends it: compressed, hashed assets cached for good, the shell revalidated. */
describe('http/client-assets', function () {
  this.timeout(300_000);
  let server: RunningServer;
  let scripts: string[];
  let styles: string[];

  before(async () => {
    await ensureClientBuilt();
    server = await startTestServer();
    const files = fs.readdirSync(path.join(clientDir, 'assets'));
    scripts = files.filter((f) => f.endsWith('.js')).map((f) => `/assets/${f}`);
    styles = files.filter((f) => f.endsWith('.css')).map((f) => `/assets/${f}`);
  });

  after(async () => {
    await server?.stop();
  });

  it('should send every script and stylesheet brotli-compressed and cached as immutable for a year', async () => {
    // given a browser that accepts brotli and gzip
    expect(scripts.length).to.be.greaterThan(3);
    // (a file of a few dozen bytes, a chunk that only re-exports another, gains nothing: it is sent as it is)
    const worthIt = [...scripts, ...styles].filter((a) => fs.statSync(path.join(clientDir, a)).size > 200);
    expect(worthIt.length).to.be.greaterThan(scripts.length / 2);
    for (const asset of worthIt) {
      // when
      const res = await get(`${server.url}${asset}`, { 'accept-encoding': 'br, gzip' });
      // then
      expect(res.status, asset).to.equal(200);
      expect(res.headers['content-encoding'], asset).to.equal('br');
      expect(res.headers['cache-control'], asset).to.equal(IMMUTABLE);
      expect(res.headers.vary, asset).to.match(/accept-encoding/i);
      expect(res.headers['content-type'], asset).to.match(asset.endsWith('.js') ? /javascript/ : /text\/css/);
      const original = fs.readFileSync(path.join(clientDir, asset));
      expect(decoded(res).equals(original), `${asset} decodes to the built file`).to.equal(true);
      expect(res.body.length, asset).to.be.lessThan(original.length);
    }
  });

  it('should send gzip to a browser without brotli and the plain file to one that accepts neither', async () => {
    // given the app's main script
    const main = scripts.find((s) => /\/index-[^/]+\.js$/.test(s))!;
    const original = fs.readFileSync(path.join(clientDir, main));
    // when
    const gzip = await get(`${server.url}${main}`, { 'accept-encoding': 'gzip, deflate' });
    const plain = await get(`${server.url}${main}`, { 'accept-encoding': 'identity' });
    // then
    expect(gzip.headers['content-encoding']).to.equal('gzip');
    expect(decoded(gzip).equals(original)).to.equal(true);
    expect(plain.headers['content-encoding']).to.equal(undefined);
    expect(plain.body.equals(original)).to.equal(true);
    expect(plain.headers['cache-control']).to.equal(IMMUTABLE);
  });

  it('should revalidate the app shell on every load, for / and for client-side routes', async () => {
    for (const url of ['/', '/index.html', '/inbox', '/modeller/policy-approval']) {
      // when
      const res = await get(`${server.url}${url}`, { 'accept-encoding': 'br, gzip' });
      // then
      expect(res.status, url).to.equal(200);
      expect(res.headers['cache-control'], url).to.equal('no-cache');
      expect(res.headers['content-type'], url).to.match(/text\/html/);
      expect(decoded(res).toString(), url).to.contain('<rv-app>');
      // and an unchanged shell costs a 304, not the page again
      const again = await get(`${server.url}${url}`, {
        'accept-encoding': 'br, gzip',
        'if-none-match': String(res.headers.etag),
      });
      expect(again.status, url).to.equal(304);
    }
  });

  it('should answer a hashed file this build does not have with a 404, not the app shell', async () => {
    // when a page from an older build asks for its chunk
    const res = await get(`${server.url}/assets/rv-inbox-0ld8uild.js`, { 'accept-encoding': 'br, gzip' });
    // then
    expect(res.status).to.equal(404);
    expect(res.headers['content-type']).to.match(/json/);
  });

  it('should answer HEAD with the headers of GET and no body', async () => {
    const asset = styles[0]!;
    const res = await get(`${server.url}${asset}`, { 'accept-encoding': 'br' }, 'HEAD');
    expect(res.status).to.equal(200);
    expect(res.headers['content-encoding']).to.equal('br');
    expect(res.headers['cache-control']).to.equal(IMMUTABLE);
    expect(res.body.length).to.equal(0);
  });
});
