// Scans on a content port carry only the edit since the composer's last text (issue 16):
// the content script's WorkerChannel builds them, the service worker's port listener
// rebuilds the whole text (ComposerTexts), and whatever cannot be rebuilt is sent whole.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { ComposerTexts } from '../../../extension/src/background/composer-texts.js';
import { CONTENT_PORT, createRouter, portListener } from '../../../extension/src/background/router.js';
import { WorkerChannel } from '../../../extension/src/content/worker-channel.js';

const ID = 'nmpjncpkdhhkhjpmbdpklbdiojdalbab';
const contentSender = { id: ID, tab: { id: 3 }, url: 'https://x.com/compose/post', origin: 'https://x.com', frameId: 0 };

describe('ComposerTexts', () => {
  test('an edit of the last text sent is the whole new text', () => {
    const texts = new ComposerTexts();
    assert.deepEqual(texts.resolve({ type: 'scan', composer: 'c1', seq: 1, text: 'Patient John', rid: 4 }),
      { type: 'scan', text: 'Patient John', rid: 4 });
    assert.deepEqual(texts.resolve({ type: 'scan', composer: 'c1', seq: 2, base: 1, length: 18, edit: { start: 8, end: 8, text: 'Dr. A ' } }),
      { type: 'scan', text: 'Patient Dr. A John' });
    assert.equal(texts.resolve({ type: 'scan', composer: 'c1', seq: 3, base: 2, length: 14, edit: { start: 8, end: 12, text: '' } }).text,
      'Patient A John');
  });

  test('an edit that does not fit the kept text is refused', () => {
    const texts = new ComposerTexts();
    const edit = (fields) => texts.resolve({ type: 'scan', composer: 'c1', seq: 9, base: 1, length: 4, edit: { start: 0, end: 0, text: 'x' }, ...fields });
    assert.equal(edit({}), null, 'nothing kept for the composer');
    texts.resolve({ type: 'scan', composer: 'c1', seq: 1, text: 'abc' });
    assert.equal(edit({ base: 0 }), null, 'another base');
    assert.equal(edit({ length: 5 }), null, 'another length');
    assert.equal(edit({ edit: { start: 2, end: 7, text: 'x' }, length: 3 }), null, 'past the end');
    assert.equal(edit({ edit: { start: 2, end: 1, text: 'x' } }), null, 'backwards');
    assert.equal(edit({ edit: { start: 0, end: 0, text: 5 } }), null, 'no text');
    assert.equal(texts.resolve({ type: 'scan', composer: 'c2', seq: 2, base: 1, length: 4, edit: { start: 0, end: 0, text: 'x' } }), null, 'another composer');
    assert.equal(edit({}).text, 'xabc');
  });

  test('other messages pass as they are, and only the last composers are kept', () => {
    const texts = new ComposerTexts();
    const report = { type: 'report', event: {} };
    assert.equal(texts.resolve(report), report);
    const plain = { type: 'scan', text: 'no composer' };
    assert.equal(texts.resolve(plain), plain);
    for (let i = 0; i < 9; i += 1) texts.resolve({ type: 'scan', composer: `c${i}`, seq: i, text: `t${i}` });
    const edit = (composer, base) => texts.resolve({ type: 'scan', composer, seq: 20, base, length: 3, edit: { start: 2, end: 2, text: '!' } });
    assert.equal(edit('c0', 0), null, 'the oldest composer was let go');
    assert.equal(edit('c8', 8).text, 't8!');
  });
});

describe('content port', () => {
  test('edits reach the scan handler as whole texts; an edit without its base asks for the text', async () => {
    const seen = [];
    const dispatch = createRouter({ content: { scan: async (m) => { seen.push(m.text); return { ok: true }; } }, extension: {} });
    globalThis.chrome = { runtime: { id: ID, getURL: (p) => `chrome-extension://${ID}/${p}` } };
    try {
      const listeners = [];
      const posted = [];
      const port = {
        name: CONTENT_PORT, sender: contentSender, onMessage: { addListener: (fn) => listeners.push(fn) },
        postMessage: (m) => posted.push(m), disconnect() {},
      };
      portListener(dispatch)(port);
      const send = (m) => listeners.forEach((fn) => fn(m));
      send({ type: 'scan', composer: 'c1', seq: 5, base: 4, length: 1, edit: { start: 0, end: 0, text: 'x' }, rid: 1 });
      send({ type: 'scan', composer: 'c1', seq: 6, text: 'SSN 536-22-874', rid: 2 });
      send({ type: 'scan', composer: 'c1', seq: 7, base: 6, length: 15, edit: { start: 14, end: 14, text: '1' }, rid: 3 });
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(seen, ['SSN 536-22-874', 'SSN 536-22-8741']);
      assert.deepEqual(posted.sort((a, b) => a.rid - b.rid).map((p) => [p.rid, p.reply.ok, p.reply.error]),
        [[1, false, 'resend'], [2, true, undefined], [3, true, undefined]]);
    } finally {
      delete globalThis.chrome;
    }
  });
});

describe('WorkerChannel scans', () => {
  // A fake chrome.runtime.connect whose ports answer through `answer(message)`.
  function fakeRuntime(answer) {
    const ports = [];
    globalThis.chrome = {
      runtime: {
        connect() {
          const listeners = { message: [], disconnect: [] };
          const port = {
            sent: [],
            onMessage: { addListener: (fn) => listeners.message.push(fn) },
            onDisconnect: { addListener: (fn) => listeners.disconnect.push(fn) },
            postMessage(m) {
              port.sent.push(m);
              queueMicrotask(() => listeners.message.forEach((fn) => fn({ rid: m.rid, reply: answer(m, port) })));
            },
            drop: () => listeners.disconnect.forEach((fn) => fn()),
          };
          ports.push(port);
          return port;
        },
      },
    };
    return ports;
  }
  afterEach(() => { delete globalThis.chrome; });

  test('the first scan of a composer sends its text, the next ones the edit', async () => {
    const texts = new ComposerTexts();
    const ports = fakeRuntime((m) => ({ ok: true, text: texts.resolve(m).text }));
    const channel = new WorkerChannel();
    assert.equal((await channel.scan('c1', 'Patient John')).text, 'Patient John');
    assert.equal((await channel.scan('c1', 'Patient John Smith')).text, 'Patient John Smith');
    assert.equal((await channel.scan('c1', 'Pt John Smith')).text, 'Pt John Smith');
    assert.equal((await channel.scan('c2', 'Other')).text, 'Other');
    const sent = ports[0].sent;
    assert.equal(sent[0].text, 'Patient John');
    assert.deepEqual([sent[1].text, sent[1].edit, sent[1].base, sent[1].length],
      [undefined, { start: 12, end: 12, text: ' Smith' }, sent[0].seq, 18]);
    assert.deepEqual(sent[2].edit, { start: 1, end: 6, text: '' });
    assert.equal(sent[3].text, 'Other');
  });

  test('a worker that cannot apply the edit gets the whole text; a new port starts from the text', async () => {
    let texts = new ComposerTexts();
    const ports = fakeRuntime((m) => {
      const whole = texts.resolve(m);
      return whole ? { ok: true, text: whole.text } : { ok: false, error: 'resend' };
    });
    const channel = new WorkerChannel();
    await channel.scan('c1', 'abc');
    texts = new ComposerTexts(); // the worker forgot the text
    assert.equal((await channel.scan('c1', 'abcd')).text, 'abcd');
    assert.deepEqual(ports[0].sent.slice(1).map((m) => [m.text, m.edit?.text]), [[undefined, 'd'], ['abcd', undefined]]);
    ports[0].drop(); // the worker restarted: the next scan goes whole on a new port
    assert.equal((await channel.scan('c1', 'abcde')).text, 'abcde');
    assert.equal(ports.length, 2);
    assert.deepEqual(ports[1].sent.map((m) => m.text), ['abcde']);
  });
});
