// Package serve is `corpora serve`: a local web application over a batch's
// output folder. It shows the master vocabulary (an overview with charts, a
// faceted and searchable table, a page per term with a radar chart of its
// axes), the IP review queue one card at a time with keyboard decisions,
// and a JSON API and downloads for scripts.
//
// Everything is rendered on the server with html/template, so every string
// that comes from a book is escaped; the only script (static/app.js) sends
// decisions and never inserts markup. Assets are embedded; the charts are
// inline SVG drawn by the templates. The server answers only to its own
// address and localhost (DNS rebinding), sends a strict
// Content-Security-Policy, and every change needs the page's CSRF token.
//
// Review decisions and "apply" go through a Reviewer the command line
// provides, the same code as `corpora review decide` and `corpora review
// apply`, so the browser and the terminal cannot disagree.
//
// The folder is read into an in-memory index once per change of its
// files (the master, the queue, the decisions), so a new batch shows up
// without a restart and queries over 100,000 terms stay fast.
package serve
