// The extension in Spanish: Chromium started with --lang=es (and LANGUAGE=es, which Linux
// builds read for the UI language) shows the popup, the pre-post dialog and the one-click
// fixes from _locales/es, and keeps its own text left-to-right on a right-to-left page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, extensionPage, hostStatus } from '../lib/browser.mjs';
import { EDITORS, POSTS } from '../lib/fixtures.mjs';
import {
  openFixture, posts, typePost, waitFor, waitForDialog, waitForState, waitForUnderlines,
} from '../lib/page-helpers.mjs';
import { fixtureServer, requireHost } from '../lib/suite.mjs';

const textarea = EDITORS.find((e) => e.name === 'textarea');
let browser;
let server;

before(async () => {
  requireHost();
  server = await fixtureServer();
  browser = await launchBrowser({ args: ['--lang=es'], env: { LANGUAGE: 'es' } });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('Spanish', () => {
  test('the popup speaks Spanish', async () => {
    const page = await extensionPage(browser.context, browser.extensionId);
    try {
      await hostStatus(page);
      const popup = await waitFor(() => page.evaluate(() => {
        const state = document.getElementById('state');
        return state.dataset.state === 'ready' ? {
          lang: document.documentElement.lang,
          dir: document.documentElement.dir,
          state: state.textContent,
          labels: [...document.querySelectorAll('dt')].map((dt) => dt.textContent),
          buttons: [...document.querySelectorAll('button')].map((b) => b.textContent),
          failMode: document.getElementById('fail-mode').textContent,
          audit: document.getElementById('audit').textContent,
        } : null;
      }), { what: 'the popup to show the host ready' });
      assert.deepEqual(popup, {
        lang: 'es',
        dir: 'ltr',
        state: 'Protección activada',
        labels: ['Host', 'Reglas', 'Última comprobación', 'Modo de fallo', 'Registro de auditoría'],
        buttons: ['Informar de una falsa alarma', 'Reconectar', 'Configuración'],
        failMode: 'abierto (avisa de que la protección está desactivada)',
        audit: 'desactivado',
      });
    } finally {
      await page.close();
    }
  });

  test('the pre-post dialog speaks Spanish, counts and category labels included', async () => {
    const fixture = await openFixture(browser.context, server, textarea);
    try {
      await typePost(fixture, POSTS.blocking.text);
      await waitForState(fixture.frame, 'block');
      await fixture.frame.click(textarea.post);
      const dialog = await waitForDialog(fixture.frame);
      assert.equal(dialog?.mode, 'block');
      assert.equal(dialog.title, 'Esta publicación no se puede publicar: contiene información de salud protegida');
      const count = dialog.categories.length;
      assert.ok(count >= 2, JSON.stringify(dialog.categories));
      assert.match(dialog.text, new RegExp(`PHI Guard ha encontrado ${count} cosas que no se deben publicar`));
      assert.match(dialog.text, /Número de la Seguridad Social, no permitido/);
      assert.deepEqual(dialog.buttons.map((b) => b.label), ['Editar publicación']);
      const ssn = dialog.actions.filter((b) => b.category === 'ssn');
      assert.deepEqual(ssn.map((b) => b.label), ['Quitar de la publicación'], 'a blocked SSN offers no "Not PHI"');
      assert.ok(dialog.actions.some((b) => b.category === 'name' && b.label === 'No es PHI'), JSON.stringify(dialog.actions));
      assert.deepEqual(await posts(fixture.page), [], 'the post was held');
    } finally {
      await fixture.page.close();
    }
  });

  test('the one-click fix for a name writes "un paciente"', async () => {
    const fixture = await openFixture(browser.context, server, textarea);
    try {
      await typePost(fixture, POSTS.warning.text);
      const { lines } = await waitForUnderlines(fixture.frame, ['name']);
      const name = lines.find((l) => l.category === 'name');
      await fixture.page.mouse.move(name.left + 6, name.top - 6);
      const label = await waitFor(() => fixture.frame.evaluate(() => document.querySelector('phiguard-ui')
        ?.shadowRoot?.querySelector('.pg-card [data-phiguard="fix"]')?.textContent), { what: 'the fix in the card' });
      assert.equal(label, 'Sustituir por «un paciente»');
      await fixture.frame.click('phiguard-ui >> .pg-card [data-phiguard="fix"]');
      const fixed = POSTS.warning.text.replace('Maria Gonzalez', 'un paciente');
      await waitFor(async () => (await fixture.frame.inputValue(textarea.editor)) === fixed, { what: 'the fixed text' });
    } finally {
      await fixture.page.close();
    }
  });

  test('on a right-to-left page the card and dialog stay left-to-right', async () => {
    const fixture = await openFixture(browser.context, server, textarea);
    try {
      // An RTL site, with a rule that would flip anything it reaches.
      await fixture.page.evaluate(() => {
        document.documentElement.dir = 'rtl';
        document.head.append(Object.assign(document.createElement('style'), { textContent: '* { direction: rtl !important; }' }));
      });
      await typePost(fixture, POSTS.blocking.text);
      const { lines } = await waitForUnderlines(fixture.frame, ['ssn']);
      const ssn = lines.find((l) => l.category === 'ssn');
      await fixture.page.mouse.move(ssn.left + ssn.width / 2, ssn.top - 6);
      const card = await waitFor(() => fixture.frame.evaluate(() => {
        const host = document.querySelector('phiguard-ui');
        const element = host?.shadowRoot?.querySelector('.pg-card');
        return element ? {
          hostDir: host.getAttribute('dir'),
          direction: getComputedStyle(element).direction,
          text: element.textContent,
        } : null;
      }), { what: 'the card' });
      assert.equal(card.direction, 'ltr');
      assert.equal(card.hostDir, 'ltr');
      assert.match(card.text, /Categoría:/);
      await fixture.frame.click(textarea.post);
      await waitForDialog(fixture.frame);
      const direction = await fixture.frame.evaluate(() => getComputedStyle(
        document.querySelector('phiguard-ui').shadowRoot.querySelector('[role="alertdialog"]')).direction);
      assert.equal(direction, 'ltr');
      assert.equal(await fixture.page.evaluate(() => getComputedStyle(document.body).direction), 'rtl', 'the page itself is RTL');
    } finally {
      await fixture.page.close();
    }
  });
});
