// The content script's entry point, imported by loader.js: one ContentGuard for this frame
// (content-guard.js has what it does and all it keeps).

import { ContentGuard } from './content-guard.js';

new ContentGuard(window).start();
