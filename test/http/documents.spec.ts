import crypto from 'node:crypto';
import { expect } from 'chai';
import type { DocumentRecord } from '../../schemas/documents.js';
import { engine, fixture, startHarness, type ApiClient, type Harness } from './harness.js';

/** The smallest file each check sees as a PDF: the signature, a body, the end marker. */
const pdf = (text = 'draft') => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`);

describe('http/document-handlers', () => {
  let h: Harness;
  let amina: ApiClient;
  let farid: ApiClient;
  let instanceId: string;

  const chunkCount = () => h.db.conn.db!.collection('document_chunks').countDocuments();
  const upload = (client: ApiClient, id: string, data: Buffer, options: Record<string, string>) =>
    client.post(`/api/instances/${id}/documents`).attach('file', data, options);

  before(async function () {
    this.timeout(60_000);
    h = await startHarness({ runtime: engine(), http: {} });
    await h.user('admin1', ['admin']);
    await h.user('amina', ['staff'], ['plan-policy']);
    await h.user('farid', ['staff'], ['foreign-relations']);
    const admin = await h.signIn('admin1');
    await admin
      .post('/api/definitions')
      .set('Content-Type', 'application/xml')
      .send(fixture('http-approval'))
      .expect(201);
    amina = await h.signIn('amina');
    farid = await h.signIn('farid');
    instanceId = (await amina.post('/api/instances', { key: 'http-approval' }).expect(201)).body.id;
  });

  after(async () => {
    await h?.close();
  });

  describe('hostile uploads', () => {
    const cases: {
      name: string;
      data: () => Buffer;
      options: Record<string, string>;
      status: number;
      code: string;
      who?: 'farid';
    }[] = [
      {
        name: 'an executable renamed .pdf',
        data: () => Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), crypto.randomBytes(2000)]),
        options: { filename: 'report.pdf', contentType: 'application/pdf' },
        status: 415,
        code: 'RV_ERR_DOCUMENT_TYPE',
      },
      {
        name: 'an SVG with a script',
        data: () =>
          Buffer.from(
            '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
          ),
        options: { filename: 'logo.png', contentType: 'image/png' },
        status: 415,
        code: 'RV_ERR_DOCUMENT_TYPE',
      },
      {
        name: 'a 30 MB file',
        data: () => Buffer.concat([pdf(), Buffer.alloc(30 * 1024 * 1024)]),
        options: { filename: 'big.pdf', contentType: 'application/pdf' },
        status: 413,
        code: 'RV_ERR_DOCUMENT_TOO_LARGE',
      },
      {
        name: 'an empty file',
        data: () => Buffer.alloc(0),
        options: { filename: 'empty.pdf', contentType: 'application/pdf' },
        status: 400,
        code: 'RV_ERR_DOCUMENT_EMPTY',
      },
      {
        name: 'a ../../ file name',
        data: () => pdf(),
        options: { filepath: '../../etc/cron.d/evil.pdf', contentType: 'application/pdf' },
        status: 400,
        code: 'RV_ERR_DOCUMENT_NAME',
      },
      {
        name: 'a type outside the list (GIF)',
        data: () => Buffer.concat([Buffer.from('GIF89a'), crypto.randomBytes(100)]),
        options: { filename: 'photo.gif', contentType: 'image/gif' },
        status: 415,
        code: 'RV_ERR_DOCUMENT_TYPE',
      },
      {
        name: 'a valid PDF to an instance the user may not read',
        data: () => pdf(),
        options: { filename: 'note.pdf', contentType: 'application/pdf' },
        status: 403,
        code: 'RV_ERR_FORBIDDEN',
        who: 'farid',
      },
    ];

    for (const c of cases) {
      it(`should refuse ${c.name} with ${c.status} ${c.code} and store nothing`, async function () {
        this.timeout(30_000);
        // given
        const client = c.who === 'farid' ? farid : amina;
        // when
        const res = await upload(client, instanceId, c.data(), c.options);
        // then
        expect(res.status, JSON.stringify(res.body)).to.equal(c.status);
        expect(res.body.code).to.equal(c.code);
        expect(res.body.message).to.have.keys('fa', 'en');
        expect(
          (await amina.get(`/api/instances/${instanceId}/documents`).expect(200)).body.items,
        ).to.deep.equal([]);
        expect(await chunkCount()).to.equal(0);
      });
    }
  });

  describe('attachments with versions', () => {
    let doc: DocumentRecord;
    const first = pdf('first draft');
    const second = pdf('second draft after the return');

    it('should store a PDF with its Dari name, size, type and SHA-256, and chain the hash into the audit trail', async () => {
      // when
      const res = await upload(amina, instanceId, first, {
        filename: 'پیش‌نویس پالیسی.pdf',
        contentType: 'application/octet-stream',
      })
        .field('reason', 'first draft')
        .expect(201);
      doc = res.body as DocumentRecord;
      // then
      expect(doc.versions).to.have.length(1);
      expect(doc.versions[0]).to.deep.include({
        version: 1,
        name: 'پیش‌نویس پالیسی.pdf',
        type: 'pdf',
        size: first.length,
        sha256: crypto.createHash('sha256').update(first).digest('hex'),
        by: 'amina',
        reason: 'first draft',
      });
      const admin = await h.signIn('admin1');
      const audit = (await admin.get(`/api/instances/${instanceId}/audit`).expect(200)).body.items as {
        type: string;
        data: { sha256: string; documentId: string };
      }[];
      const added = audit.filter((e) => e.type === 'document.added');
      expect(added.map((e) => e.data)).to.deep.equal([
        {
          documentId: doc.id,
          version: 1,
          name: 'پیش‌نویس پالیسی.pdf',
          type: 'pdf',
          size: first.length,
          sha256: doc.versions[0]!.sha256,
          reason: 'first draft',
        },
      ]);
      expect((await admin.get('/api/audit/verify').expect(200)).body.ok).to.equal(true);
    });

    it('should download as an attachment with a UTF-8 file name, nosniff and a sandboxing policy', async () => {
      // when
      const res = await amina
        .get(`/api/documents/${doc.id}/versions/1/content`)
        .buffer(true)
        .parse((r, cb) => {
          const parts: Buffer[] = [];
          r.on('data', (c: Buffer) => parts.push(c));
          r.on('end', () => cb(null, Buffer.concat(parts)));
        })
        .expect(200);
      // then
      expect(Buffer.compare(res.body as Buffer, first)).to.equal(0);
      expect(res.headers['content-type']).to.equal('application/octet-stream');
      expect(res.headers['content-disposition']).to.equal(
        `attachment; filename="${'پیش‌نویس پالیسی'.replace(/[^ ]/g, '_')}.pdf"; filename*=UTF-8''${encodeURIComponent('پیش‌نویس پالیسی.pdf')}`,
      );
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
      expect(res.headers['content-security-policy']).to.include('sandbox');
    });

    it('should show a PDF inline only when asked, still without scripts', async () => {
      // when
      const res = await amina.get(`/api/documents/${doc.id}/versions/1/content?inline=true`).expect(200);
      // then
      expect(res.headers['content-type']).to.equal('application/pdf');
      expect(res.headers['content-disposition']).to.match(/^inline; /);
      expect(res.headers['content-security-policy']).to.include("default-src 'none'");
    });

    it('should keep the first version when a second one is uploaded, each with who, when and why', async () => {
      // when
      const res = await amina
        .post(`/api/documents/${doc.id}/versions`)
        .attach('file', second, { filename: 'پیش‌نویس پالیسی - دوم.pdf', contentType: 'application/pdf' })
        .field('reason', 'returned by the directorate')
        .expect(201);
      // then
      const record = res.body as DocumentRecord;
      expect(record.versions.map((v) => [v.version, v.by, v.reason, v.size])).to.deep.equal([
        [1, 'amina', 'first draft', first.length],
        [2, 'amina', 'returned by the directorate', second.length],
      ]);
      const v1 = await amina.get(`/api/documents/${doc.id}/versions/1/content`).buffer(true).expect(200);
      expect(v1.headers['content-length']).to.equal(String(first.length));
    });

    it('should refuse to show or list documents to a user who may not read the instance', async () => {
      // when / then
      await farid.get(`/api/instances/${instanceId}/documents`).expect(403);
      await farid.get(`/api/documents/${doc.id}`).expect(403);
      await farid.get(`/api/documents/${doc.id}/versions/1/content`).expect(403);
      await farid
        .post(`/api/documents/${doc.id}/versions`)
        .attach('file', pdf(), { filename: 'x.pdf', contentType: 'application/pdf' })
        .expect(403);
    });
  });
});
