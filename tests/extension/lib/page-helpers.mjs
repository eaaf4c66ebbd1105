// Driving a fixture page and reading what the extension drew. Everything the extension
// shows lives in the open shadow root of <phiguard-ui>, in the frame of the composer.

export async function openFixture(context, server, editor) {
  const page = await context.newPage();
  await page.goto(server.url(`/fixtures/${editor.name}.html`));
  await page.waitForFunction(() => window.__fixture?.ready === true);
  const frame = editor.frame
    ? await (await page.waitForSelector(editor.frame)).contentFrame()
    : page.mainFrame();
  await frame.waitForSelector(editor.editor);
  return { page, frame, editor };
}

// Where the composer's frame's viewport starts in the page's: { x, y } (0 outside an iframe),
// for pointer moves to things the frame measured.
export async function frameOffset({ page, editor }) {
  if (!editor.frame) return { x: 0, y: 0 };
  return page.locator(editor.frame).evaluate((f) => {
    const r = f.getBoundingClientRect();
    return { x: r.left + f.clientLeft, y: r.top + f.clientTop };
  });
}

export async function typePost({ frame, editor, page }, text) {
  await frame.click(editor.editor);
  // Typing key by key exercises the editors' own input handling (beforeinput, keydown);
  // paragraphs are typed with Enter as a person would.
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (i > 0) await page.keyboard.press('Enter');
    await page.keyboard.type(line);
  }
}

export async function clearPost({ frame, editor, page }) {
  await frame.click(editor.editor);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
}

// Underlines and composer layers may also be in a <phiguard-ui-modal> inside a site's open
// modal dialog (extension/src/ui/ui-root.js): these helpers look in every root of ours.
export function underlines(frame) {
  return frame.evaluate(() => {
    const roots = [...document.querySelectorAll('phiguard-ui, phiguard-ui-modal')].map((host) => host.shadowRoot);
    return roots.flatMap((root) => [...root.querySelectorAll('.pg-underline')]).map((el) => {
      const r = el.getBoundingClientRect();
      return { rule: el.dataset.rule, category: el.dataset.category, action: el.dataset.action,
        left: r.left, top: r.top, width: r.width };
    });
  });
}

// Waits until underlines of all `categories` are drawn; returns { ms, lines }.
export async function waitForUnderlines(frame, categories, { timeoutMs = 5000, since = Date.now() } = {}) {
  const deadline = since + timeoutMs;
  for (;;) {
    const lines = await underlines(frame);
    const seen = new Set(lines.map((l) => l.category));
    if (categories.every((c) => seen.has(c))) return { ms: Date.now() - since, lines };
    if (Date.now() > deadline) {
      throw new Error(`underlines ${JSON.stringify(categories)} not drawn after ${timeoutMs} ms; saw ${JSON.stringify([...seen])}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

// The open alertdialog: { mode, title, text, categories, buttons, actions, ... } or null.
// buttons: the dialog's own (Edit post, Post anyway); actions: the fix and "Not PHI"
// buttons next to its findings, each with the category of its finding.
export function dialogState(frame) {
  return frame.evaluate(() => {
    const dialog = document.querySelector('phiguard-ui')?.shadowRoot?.querySelector('[role="alertdialog"]');
    if (!dialog) return null;
    return {
      mode: dialog.dataset.mode,
      title: dialog.querySelector('h2')?.textContent,
      text: dialog.textContent,
      modal: dialog.getAttribute('aria-modal'),
      labelled: Boolean(dialog.getAttribute('aria-labelledby')),
      categories: [...dialog.querySelectorAll('li[data-category]')].map((li) => li.dataset.category),
      buttons: [...dialog.querySelectorAll('button:not(.pg-finding-action)')].map((b) => ({ label: b.textContent, disabled: b.disabled, id: b.dataset.phiguard })),
      actions: [...dialog.querySelectorAll('li[data-category] button.pg-finding-action')].map((b) => ({
        id: b.dataset.phiguard, fix: b.dataset.fix ?? null, label: b.textContent, name: b.getAttribute('aria-label'),
        category: b.closest('li').dataset.category,
      })),
      focusedInside: dialog.contains(dialog.getRootNode().activeElement),
    };
  });
}

export async function waitForDialog(frame, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await dialogState(frame);
    if (state || Date.now() > deadline) return state;
    await new Promise((r) => setTimeout(r, 25));
  }
}

// Clicks a button of our dialog (by data-phiguard id), through the shadow root.
export async function clickDialogButton(frame, id) {
  await frame.click(`phiguard-ui >> [data-phiguard="${id}"]`);
}

export async function chooseJustification(frame, value) {
  await frame.selectOption('phiguard-ui >> [data-phiguard="justification"]', value);
}

export function posts(page) {
  return page.evaluate(() => window.__fixture.posts.slice());
}

// A notice (badge, banner, toast) in whichever of our roots holds it (<phiguard-ui>, or
// <phiguard-ui-modal> in a site's modal dialog): its text and role, whether it is inside a
// site's <dialog> and in the top layer, and the element painted at its centre is it.
export function notice(frame, id) {
  return frame.evaluate((which) => {
    const roots = [...document.querySelectorAll('phiguard-ui, phiguard-ui-modal')].map((host) => host.shadowRoot);
    const el = roots.map((root) => root?.querySelector(`[data-phiguard="${which}"]`)).find(Boolean);
    if (!el) return null;
    const host = el.getRootNode().host;
    return {
      text: el.textContent, role: el.getAttribute('role'),
      inDialog: Boolean(host.closest('dialog')), topLayer: el.matches(':popover-open'),
    };
  }, id);
}

export async function waitFor(fn, { timeoutMs = 5000, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// What the extension thinks of the composer's current text (the data-state of its layer):
// 'pending', 'allow', 'warn', 'block' or 'unavailable'.
export function composerState(frame) {
  return frame.evaluate(() => [...document.querySelectorAll('phiguard-ui, phiguard-ui-modal')]
    .map((host) => host.shadowRoot.querySelector('.pg-layer[data-composer]')).find(Boolean)?.dataset.state ?? null);
}

export function waitForState(frame, states, timeoutMs = 5000) {
  const wanted = [].concat(states);
  return waitFor(async () => {
    const state = await composerState(frame);
    return wanted.includes(state) ? state : null;
  }, { timeoutMs, what: `composer state ${wanted.join('|')}` });
}

// The viewport rect of the first occurrence of `needle` in the editor's text nodes (searched
// through open shadow roots), measured by the page itself, to check where underlines land.
export function textRect(frame, editorSelector, needle) {
  return frame.evaluate(([selector, wanted]) => {
    const find = (root) => {
      const hit = root.querySelector(selector);
      if (hit) return hit;
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) {
          const inner = find(el.shadowRoot);
          if (inner) return inner;
        }
      }
      return null;
    };
    const editor = find(document);
    if (!editor || editor.nodeName === 'TEXTAREA') return null;
    const walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(wanted);
      if (at >= 0) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + wanted.length);
        const r = range.getBoundingClientRect();
        return { left: r.left, top: r.top, width: r.width, bottom: r.bottom };
      }
    }
    return null;
  }, [editorSelector, needle]);
}

export function editorRect(frame, selector) {
  return frame.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  });
}
