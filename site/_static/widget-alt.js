// Alt text for the figures inside explorer snapshots. The widget manager draws them as
// <img src="data:image/png;base64,..."> with no alt; tools/build_site.py writes each figure's
// description (from its titles and axis labels) beside the widget, keyed by 40 characters from
// the middle of its base64 data (png_key there).
(function () {
  "use strict";
  const alts = {};
  function load() {
    document.querySelectorAll("script.widget-alt").forEach((s) => Object.assign(alts, JSON.parse(s.textContent)));
  }
  function key(src) {
    const data = src.slice(src.indexOf(",") + 1).replace(/\s/g, "");
    const middle = Math.floor(data.length / 2);
    return data.slice(middle, middle + 40);
  }
  function label(root) {
    root.querySelectorAll(".jupyter-widgets img:not([alt])").forEach((img) => {
      const src = img.getAttribute("src") || "";
      img.alt = (src.startsWith("data:") && alts[key(src)]) || "Figure: the explorer's first drawing (a snapshot)";
    });
  }
  document.addEventListener("DOMContentLoaded", () => {
    load();
    label(document);
    new MutationObserver(() => label(document)).observe(document.body, { childList: true, subtree: true });
  });
})();
