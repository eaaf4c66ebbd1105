// The button for one finding action (a fix, "Not PHI": content/finding-actions.js), as the
// card and the pre-post dialog draw it: its words, an accessible name that says which
// finding it acts on, and data-phiguard / data-fix for tests. A press with the pointer does
// not take focus or the selection from the composer (mousedown's default is prevented).

import { h } from './dom.js';

export function actionButton(doc, action, onclick) {
  return h(doc, 'button', {
    class: 'pg-button pg-finding-action', type: 'button', 'data-phiguard': action.id, 'data-fix': action.fix,
    'aria-label': action.name, title: action.hint, onclick,
    onmousedown: (event) => event.preventDefault(),
  }, action.label);
}
