// The portal's "Download everything" progress: asks the build's status every second and moves the bar; when
// the build ends the page reloads once to show the link (or why it failed). A static file, not an inline
// script, so the page keeps the strict Content-Security-Policy. Without JavaScript the page refreshes itself.
(function () {
  "use strict";
  var box = document.getElementById("export-progress");
  if (!box) { return; }
  var bar = document.getElementById("export-bar");
  var words = document.getElementById("export-percent");
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin", cache: "no-store"})
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        if (job.state === "done" || job.state === "failed") { window.location.reload(); return; }
        bar.value = job.percent;
        bar.textContent = job.percent + "%";
        words.textContent = job.percent + "% done";
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
