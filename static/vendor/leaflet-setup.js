/* Article Atlas: loaded right after leaflet.js. Leaflet's default marker icons come from the
   vendored images next to this file, never from a CDN (offline, air-gapped use). */
(function () {
  var script = document.currentScript;
  if (!window.L || !L.Icon || !L.Icon.Default || !script || !script.src) { return; }
  L.Icon.Default.imagePath = script.src.replace(/[^\/]*$/, '') + 'leaflet/images/';
})();
