// Content scripts cannot be ES modules in the manifest, so this classic script imports the
// real entry point. The modules are web-accessible at fixed URLs (use_dynamic_url is off):
// a page can tell that PHI Guard is installed by fetching one, though it can read nothing
// of the user's. Dynamic URLs would hide them, but Chromium then refuses the content
// script's own import of them (crbug.com/363027634), so the guard would not load at all.
// The flag stops a second copy in the same frame (the manifest and the extraSites
// registration can both match one page).
(() => {
  if (globalThis.__phiguardContentLoaded) return;
  globalThis.__phiguardContentLoaded = true;
  import(chrome.runtime.getURL('src/content/main.js')).catch((error) => {
    console.warn('PHI Guard: content script failed to load:', error?.message ?? error);
  });
})();
