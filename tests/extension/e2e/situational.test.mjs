// A post that names no one but reads as a patient's story (issue 14): the host's post-voice
// model raises it as a finding of its own (`phi.reads_as_patient`, host/src/scan/
// patient_voice.h), and the extension treats it as any other warning: underlined where the
// words that read most as a patient's are, listed in the warning dialog with its own title,
// with no mechanical fix offered (there is nothing to replace), and "Post anyway" honoured.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EDITORS } from '../lib/fixtures.mjs';
import {
  clickDialogButton, dialogState, posts, typePost, waitFor, waitForDialog, waitForState,
  waitForUnderlines,
} from '../lib/page-helpers.mjs';
import { sharedBrowserAndServer } from '../lib/suite.mjs';

const shared = sharedBrowserAndServer();

// Made up. No name, number, date or place: only the story. The shipped model scores it
// above 0.999, far from its 0.99 threshold, so a retrained model keeps raising it.
const STORY = 'the lady who always brings her parrot to dialysis finally got her transplant call last night, whole unit cried';

// One editor whose text the page measures (Draft.js) and the textarea, whose underlines come
// from the mirror: the finding reaches both drawing paths.
for (const editor of EDITORS.filter((e) => ['textarea', 'draft'].includes(e.name))) {
  describe(`${editor.name}: a patient's story with no identifier`, () => {
    test("is underlined as the model's finding and warns with its own title", async () => {
      const fixture = await shared.open(editor);
      try {
        await typePost(fixture, STORY);
        const { lines } = await waitForUnderlines(fixture.frame, ['patient_detail']);
        const raised = lines.filter((l) => l.rule === 'phi.reads_as_patient');
        assert.equal(raised.length, 1, JSON.stringify(lines.map((l) => l.rule)));
        assert.equal(raised[0].action, 'warn');
        assert.equal(await waitForState(fixture.frame, 'warn'), 'warn');
        await fixture.frame.click(editor.post);
        const dialog = await waitForDialog(fixture.frame);
        assert.equal(dialog?.mode, 'warn');
        assert.ok(dialog.categories.includes('patient_detail'));
        assert.match(dialog.text, /Reads as a patient's story/);
        assert.deepEqual(dialog.actions.filter((a) => a.category === 'patient_detail' && a.fix), [],
          'no mechanical fix for a story');
        await clickDialogButton(fixture.frame, 'post-anyway');
        await fixture.frame.click(editor.post);
        await waitFor(async () => (await posts(fixture.page)).length === 1, { what: 'the post' });
        assert.equal(await dialogState(fixture.frame), null);
      } finally {
        await fixture.page.close();
      }
    });
  });
}
