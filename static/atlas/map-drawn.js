// Article Atlas: tells the page that its map has been drawn (a Streamlit components-v2 module,
// mounted by app.py on a session's first run only). That run sends the map and the article
// alone, so that the browser loads and draws them first; this trigger asks for the rest of the
// page (place list, tables, figures, corrections, exports) once the map's frame reports its
// places and basemap drawn (geo.mapping's atlasReady and atlasBasemapReady), or after
// data.timeout_ms whatever the map does (a map that fails must not keep the rest away).
// Sent once the drawn map is on screen: two animation frames of the map's window later (Leaflet
// draws its canvas layers in an animation frame; the second one follows the paint) and when the
// browser is idle, so that rendering the rest never holds the map back from the screen.
// data: {frame, timeout_ms}: `frame` selects the map's iframe in the page.
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  parentElement.atlasSend = setTriggerValue;
  if (parentElement.atlasWatching) return;
  parentElement.atlasWatching = true;
  const started = Date.now();
  const send = () => parentElement.atlasSend("drawn", Date.now());
  const whenShown = (win) => {
    const frame = win.requestAnimationFrame ? win.requestAnimationFrame.bind(win) : (f) => setTimeout(f, 16);
    frame(() => frame(() => {
      if (window.requestIdleCallback) window.requestIdleCallback(send, { timeout: 500 });
      else setTimeout(send, 0);
    }));
  };
  const check = () => {
    let map = null;
    try {
      const frame = document.querySelector(data.frame);
      const win = frame && frame.contentWindow;
      if (win && win.atlasReady === true && (win.atlasBasemapReady || 0) >= 1) map = win;
    } catch (err) {
      map = null;
    }
    if (map) {
      whenShown(map);
      return;
    }
    if (Date.now() - started > data.timeout_ms) {
      send();
      return;
    }
    setTimeout(check, 50);
  };
  check();
}
