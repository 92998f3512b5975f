/* Custodian's cookie banner: embed with <script src="https://CUSTODIAN/consent.js" defer></script>.
 *
 * Categories come from the provider's privacy policy (served with this script as CONFIG). Third-party
 * scripts wait as <script type="text/plain" data-consent="PURPOSE" data-src="..."> and run only once their
 * purpose is allowed. The choice is kept on this site (localStorage) with a random consent id and the
 * categories' version: a new version asks again. Each choice is recorded at Custodian as proof of consent.
 * A Global Privacy Control signal opts out of sale and sharing without asking (Cal. Civ. Code 1798.135).
 * No framework, no build step. Docs: docs/consent-web.md.
 */
(function () {
  "use strict";
  var CONFIG = /*CONFIG*/null;
  var KEY = "custodian-consent";
  var gpc = navigator.globalPrivacyControl === true || CONFIG.gpcHeader === true;
  var optional = CONFIG.categories.filter(function (c) { return !c.essential; });
  var askable = optional.filter(function (c) { return !(gpc && c.gpc); });
  var banner = null;
  var dialog = null;

  function load() {
    try {
      var saved = JSON.parse(localStorage.getItem(KEY) || "null");
      return saved && saved.version === CONFIG.version ? saved : null;
    } catch (e) { return null; }
  }

  function save(state) {
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode: ask next time */ }
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function allowed(state, purpose) {
    var category = CONFIG.categories.filter(function (c) { return c.purpose === purpose; })[0];
    if (!category) { return false; }
    if (category.essential) { return true; }
    return !!state && state.choices[purpose] === "granted" && !(state.gpc && category.gpc);
  }

  /* Run the waiting scripts whose purpose is now allowed; the others keep waiting. */
  function activate(state) {
    var waiting = document.querySelectorAll('script[type="text/plain"][data-consent]');
    Array.prototype.forEach.call(waiting, function (placeholder) {
      if (!allowed(state, placeholder.getAttribute("data-consent"))) { return; }
      var script = document.createElement("script");
      if (placeholder.getAttribute("data-src")) { script.src = placeholder.getAttribute("data-src"); }
      else { script.text = placeholder.text; }
      placeholder.removeAttribute("data-consent");
      placeholder.parentNode.insertBefore(script, placeholder.nextSibling);
    });
  }

  function record(state, choices) {
    var body = JSON.stringify({ consent_id: state.id, version: CONFIG.version, choices: choices, gpc: state.gpc });
    return fetch(CONFIG.endpoint, { method: "POST", mode: "cors", credentials: "omit", keepalive: true,
      headers: { "Content-Type": "application/json" }, body: body }).catch(function () { /* kept locally */ });
  }

  /* Keep and record a choice; `choices` maps each askable purpose to "granted" or "denied". */
  function decide(choices) {
    var state = load() || { id: newId(), version: CONFIG.version, choices: {}, gpc: gpc };
    Object.keys(choices).forEach(function (p) { state.choices[p] = choices[p]; });
    state.gpc = gpc;
    state.decided = true;
    save(state);
    record(state, choices);
    close();
    activate(state);
  }

  function all(choice) {
    var choices = {};
    askable.forEach(function (c) { choices[c.purpose] = choice; });
    decide(choices);
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function button(label, onClick, primary) {
    var b = el("button", { type: "button", "class": primary ? "cc-button cc-primary" : "cc-button" }, label);
    b.addEventListener("click", onClick);
    return b;
  }

  function style() {
    var css = ".cc-banner{position:fixed;left:0;right:0;bottom:0;z-index:2147483000;background:#fff;color:#1a1a1a;" +
      "border-top:2px solid #1a1a1a;padding:1rem;font:16px/1.5 system-ui,sans-serif}" +
      ".cc-banner p{margin:0 0 .75rem;max-width:60rem}.cc-title{font-size:1.125rem;margin:0 0 .5rem}" +
      ".cc-actions{display:flex;gap:.5rem;flex-wrap:wrap}" +
      ".cc-button{font:inherit;padding:.5rem 1rem;border:2px solid #1a1a1a;border-radius:4px;background:#fff;" +
      "color:#1a1a1a;cursor:pointer}.cc-primary{background:#1a1a1a;color:#fff}" +
      ".cc-button:focus-visible,.cc-dialog input:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}" +
      ".cc-dialog{max-width:36rem;border:2px solid #1a1a1a;border-radius:6px;padding:1.25rem;color:#1a1a1a;" +
      "font:16px/1.5 system-ui,sans-serif}.cc-dialog::backdrop{background:rgba(0,0,0,.4)}" +
      ".cc-dialog fieldset{border:0;margin:0 0 1rem;padding:0}.cc-choice{margin:.75rem 0}" +
      ".cc-choice small{display:block;margin-left:1.75rem;color:#444}.cc-gpc{font-weight:600}";
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
    } catch (e) { /* an old browser: unstyled but usable */ }
  }

  function gpcNotice() {
    return el("p", { "class": "cc-gpc" }, "Your browser sent a Global Privacy Control signal: we honoured it " +
      "and do not sell or share your information (" + optional.filter(function (c) { return c.gpc; })
        .map(function (c) { return c.label; }).join(", ") + ").");
  }

  function showBanner() {
    banner = el("section", { "class": "cc-banner", role: "region", "aria-label": "Cookie choices" });
    banner.appendChild(el("h2", { "class": "cc-title" }, "Cookies on this site"));
    banner.appendChild(el("p", {}, CONFIG.provider + " uses essential cookies to run this site. With your " +
      "consent it also uses: " + askable.map(function (c) { return c.label; }).join(", ") + "."));
    if (gpc && optional.some(function (c) { return c.gpc; })) { banner.appendChild(gpcNotice()); }
    var actions = el("div", { "class": "cc-actions" });
    actions.appendChild(button("Accept all", function () { all("granted"); }, true));
    actions.appendChild(button("Reject all", function () { all("denied"); }, true));
    actions.appendChild(button("Choose", openDialog, false));
    var privacy = el("a", { href: CONFIG.privacyUrl }, "Privacy notice");
    actions.appendChild(privacy);
    banner.appendChild(actions);
    document.body.insertBefore(banner, document.body.firstChild);
  }

  function openDialog() {
    var state = load();
    dialog = el("dialog", { "class": "cc-dialog", "aria-labelledby": "cc-dialog-title" });
    dialog.appendChild(el("h2", { id: "cc-dialog-title" }, "Choose cookies"));
    var fields = el("fieldset");
    fields.appendChild(el("legend", {}, "Categories"));
    CONFIG.categories.forEach(function (c) {
      var id = "cc-" + c.purpose;
      var row = el("div", { "class": "cc-choice" });
      var box = el("input", { type: "checkbox", id: id, name: c.purpose, "aria-describedby": id + "-about" });
      var fixed = c.essential || (gpc && c.gpc);
      box.checked = c.essential || (!fixed && !!state && state.choices[c.purpose] === "granted");
      box.disabled = fixed;
      row.appendChild(box);
      row.appendChild(el("label", { "for": id }, " " + c.label + (c.essential ? " (always on)" :
        fixed ? " (off: Global Privacy Control)" : "")));
      row.appendChild(el("small", { id: id + "-about" }, c.description));
      fields.appendChild(row);
    });
    dialog.appendChild(fields);
    var actions = el("div", { "class": "cc-actions" });
    actions.appendChild(button("Save choices", function () {
      var choices = {};
      askable.forEach(function (c) { choices[c.purpose] = dialog.querySelector("#cc-" + c.purpose).checked ? "granted" : "denied"; });
      decide(choices);
    }, true));
    actions.appendChild(button("Cancel", function () { dialog.close(); }, false));
    dialog.appendChild(actions);
    dialog.addEventListener("close", function () {
      var opener = banner && banner.querySelector(".cc-actions button:nth-child(3)");
      dialog.remove();
      dialog = null;
      if (opener) { opener.focus(); }  /* focus returns to "Choose" */
    });
    document.body.appendChild(dialog);
    dialog.showModal();  /* traps focus in the dialog; Escape closes it */
    var first = dialog.querySelector("input:not([disabled])") || dialog.querySelector("button");
    first.focus();
  }

  function close() {
    if (dialog) { dialog.close(); }
    if (banner) { banner.remove(); banner = null; }
  }

  function start() {
    style();
    var state = load();
    if (gpc && optional.some(function (c) { return c.gpc; }) && !(state && state.gpc)) {
      /* Honour the signal at once, without asking (CCPA Regulations §7025(c)(1)). */
      state = state || { id: newId(), version: CONFIG.version, choices: {}, gpc: true };
      state.gpc = true;
      save(state);
      record(state, {});
    }
    activate(state);
    if ((!state || !state.decided) && askable.length) { showBanner(); }
    document.addEventListener("click", function (event) {
      var opener = event.target.closest && event.target.closest("[data-consent-open]");
      if (opener) { event.preventDefault(); if (!banner) { showBanner(); } openDialog(); }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
}());
