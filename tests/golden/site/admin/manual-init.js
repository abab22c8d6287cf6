// Loaded before decap-cms.js: Decap waits, so that outcome-files.js can adapt the backend before it starts.
// A file, not an inline script, because the admin page's Content-Security-Policy allows no inline script.
window.CMS_MANUAL_INIT = true;
