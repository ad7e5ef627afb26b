import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { errorHandler } from '../../server/http/error-handler.js';

/** An app whose one route fails with `err`, answered by Ravand's error handler. */
function failingWith(err: unknown) {
  const app = express();
  app.get('/fail', () => {
    throw err;
  });
  app.use(errorHandler);
  return app;
}

/** An error as node:net raises it for a write to a socket the other side ended, thrown from `frames`. */
function epipe(frames: string[]): Error {
  const err = Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' });
  err.stack = [`Error: ${err.message}`, ...frames.map((f) => `    at ${f}`)].join('\n');
  return err;
}

describe('http/error-handler (the database went away mid-request)', () => {
  it('should answer 503 for the driver writing to a socket the database process closed', async () => {
    // given: the raw EPIPE the driver threw when the embedded database was killed under a start
    const err = epipe([
      'Socket.writeAfterFIN [as write] (node:net:566:14)',
      'Connection.writeCommand (/srv/ravand/node_modules/mongodb/src/cmap/connection.ts:722:23)',
    ]);
    // when
    const res = await request(failingWith(err)).get('/fail');
    // then
    expect(res.status).to.equal(503);
    expect(res.body.code).to.equal('RV_ERR_DB_UNAVAILABLE');
    expect(res.body.message.fa).to.be.a('string').and.not.equal('');
  });

  it('should answer 503 for the driver’s own network errors and a bulk write whose connection closed', async () => {
    const network = Object.assign(new Error('connection 5 to 127.0.0.1:27017 closed'), {
      name: 'MongoNetworkError',
    });
    const bulk = Object.assign(new Error('connection 17 to 127.0.0.1:43497 closed'), {
      name: 'MongoBulkWriteError',
    });
    for (const err of [network, bulk])
      expect((await request(failingWith(err)).get('/fail')).status, String(err)).to.equal(503);
  });

  it('should keep a broken pipe elsewhere an internal error (500)', async () => {
    // given: the same EPIPE, from a socket that is not the database's
    const err = epipe([
      'Socket.writeAfterFIN [as write] (node:net:566:14)',
      'SmtpClient.send (/srv/mail.js:10:3)',
    ]);
    // then
    const res = await request(failingWith(err)).get('/fail');
    expect(res.status).to.equal(500);
    expect(res.body.code).to.equal('RV_ERR_INTERNAL');
  });
});
