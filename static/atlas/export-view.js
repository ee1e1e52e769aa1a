// Article Atlas: a render button that sends the map's current view with its request (a
// Streamlit components-v2 module, mounted by app.py for the PNG and the PDF sheet).
// Panning, zooming and switching layers send nothing to Python (no rerun per move, issue #11):
// only a click here reads what the map shows, through the map's own hook window.atlasView()
// in its frame (geo.mapping), and sends it as the trigger value {format, view, at}.
// data: {format, label, help, primary, frame}: `frame` selects the map's iframe in the page.
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let button = parentElement.querySelector("button.atlas-render");
  if (!button) {
    button = document.createElement("button");
    button.type = "button";
    button.className = "atlas-render";
    parentElement.appendChild(button);
  }
  button.textContent = data.label;
  button.title = data.help || "";
  button.classList.toggle("primary", !!data.primary);
  button.atlasSend = setTriggerValue;
  button.atlasData = data;
  if (!button.atlasListening) {
    button.atlasListening = true;
    button.addEventListener("click", () => {
      const { format, frame } = button.atlasData;
      button.atlasSend("render", { format: format, view: currentView(frame), at: Date.now() });
    });
  }
}

// What the map shows now ({bounds, zoom, layers}), or null when the map is not there yet
// (the export then fits the places).
function currentView(selector) {
  const frame = document.querySelector(selector);
  try {
    const describe = frame && frame.contentWindow && frame.contentWindow.atlasView;
    return typeof describe === "function" ? describe() : null;
  } catch (err) {
    console.warn("Article Atlas: the map's view could not be read", err);
    return null;
  }
}
