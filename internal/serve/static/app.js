// corpora serve: keyboard review and the apply button. This script never
// inserts markup: book text reaches the page only through the server's
// escaped HTML, and messages are set with textContent.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.content : "";
  var readOnly = document.body.dataset.readonly === "true";
  var status = document.getElementById("status");
  var UNDO = "corpora-undo";

  function say(msg) {
    if (status) { status.textContent = msg; }
  }

  function post(url, body) {
    if (readOnly) { return Promise.reject(new Error("read-only: this server refuses changes")); }
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (!r.ok) { throw new Error(j.error || r.statusText); }
        return j;
      });
    });
  }

  function undoStack() {
    try { return JSON.parse(sessionStorage.getItem(UNDO) || "[]"); } catch (e) { return []; }
  }
  function setUndo(s) {
    try { sessionStorage.setItem(UNDO, JSON.stringify(s.slice(-200))); } catch (e) { /* private mode */ }
  }

  if (document.body.dataset.page !== "review") { return; }
  var card = document.getElementById("card");
  var term = card ? card.dataset.term : "";
  var form = document.getElementById("rename-form");
  var input = document.getElementById("rename-input");
  var busy = false;

  function decide(decision, newText) {
    if (!term || busy) { return; }
    busy = true;
    say("saving…");
    var note = document.getElementById("note");
    post("/api/decisions", { term: term, decision: decision, new_text: newText || "", note: note ? note.value.trim() : "" })
      .then(function () {
        var s = undoStack(); s.push(term); setUndo(s);
        window.location.assign("/review");
      })
      .catch(function (e) { busy = false; say(e.message); });
  }

  function undo() {
    if (busy) { return; }
    var s = undoStack();
    var last = s.pop();
    if (!last) { say("nothing to undo in this tab"); return; }
    busy = true;
    post("/api/undo", { term: last })
      .then(function (j) {
        setUndo(s);
        window.location.assign("/review?term=" + encodeURIComponent(j.term || last));
      })
      .catch(function (e) { busy = false; say(e.message); });
  }

  function apply() {
    if (busy) { return; }
    busy = true;
    say("applying…");
    post("/api/apply", {})
      .then(function (j) { busy = false; say(j.message || "applied"); })
      .catch(function (e) { busy = false; say(e.message); });
  }

  function showRename() {
    if (!form) { return; }
    form.hidden = false;
    input.focus();
    input.select();
  }

  if (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var v = input.value.trim();
      if (!v) { say("type the new name"); return; }
      decide("rename", v);
    });
  }

  document.addEventListener("click", function (e) {
    var b = e.target.closest("[data-action]");
    if (!b) { return; }
    switch (b.dataset.action) {
      case "keep": decide("keep"); break;
      case "remove": decide("remove"); break;
      case "rename": showRename(); break;
      case "undo": undo(); break;
      case "apply": apply(); break;
    }
  });

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) {
      if (e.key === "Escape" && form) { form.hidden = true; t.blur(); }
      return;
    }
    switch (e.key) {
      case "k": decide("keep"); break;
      case "r": decide("remove"); break;
      case "n": e.preventDefault(); showRename(); break;
      case "u": undo(); break;
      default: return;
    }
  });
  // The keys work from here on (tests wait for this mark).
  document.body.dataset.ready = "true";
})();
