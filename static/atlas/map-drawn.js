// Article Atlas: tells the page that its map has been drawn (a Streamlit components-v2 module,
// mounted by app.py on a session's first run only). That run sends the map and the article
// alone, so that the browser loads and draws them first; this trigger asks for the rest of the
// page (place list, tables, figures, corrections, exports) once the map's frame reports its
// places and basemap drawn (geo.mapping's atlasReady and atlasBasemapReady), or after
// data.timeout_ms whatever the map does (a map that fails must not keep the rest away).
// data: {frame, timeout_ms}: `frame` selects the map's iframe in the page.
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  parentElement.atlasSend = setTriggerValue;
  if (parentElement.atlasWatching) return;
  parentElement.atlasWatching = true;
  const started = Date.now();
  const check = () => {
    let drawn = false;
    try {
      const frame = document.querySelector(data.frame);
      const map = frame && frame.contentWindow;
      drawn = !!map && map.atlasReady === true && (map.atlasBasemapReady || 0) >= 1;
    } catch (err) {
      drawn = false;
    }
    if (drawn || Date.now() - started > data.timeout_ms) {
      parentElement.atlasSend("drawn", Date.now());
      return;
    }
    setTimeout(check, 50);
  };
  check();
}
