// Article Atlas: the article pane (a Streamlit components-v2 module, mounted by app.py).
// data.html is built by geo.textview.article_html: every character of the article is escaped
// there, so the only markup inserted here is Article Atlas's own.
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let view = parentElement.querySelector(".atlas-view");
  if (!view) {
    view = document.createElement("div");
    view.className = "atlas-view";
    view.setAttribute("role", "document");
    parentElement.appendChild(view);
  }
  view.atlasTrigger = setTriggerValue;
  if (!view.atlasListening) {
    view.atlasListening = true;
    const pick = (event) => {
      const mark = event.target.closest("mark[data-place]");
      if (!mark) return;
      if (event.type === "keydown" && event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      view.atlasTrigger("select", mark.dataset.place);
    };
    view.addEventListener("click", pick);
    view.addEventListener("keydown", pick);
  }
  if (view.dataset.version !== data.version) {
    view.innerHTML = data.html;
    view.dataset.version = data.version;
    view.dataset.scrolled = "";
  }
  view.querySelectorAll(".selected").forEach((el) => el.classList.remove("selected"));
  const marks = data.selected
    ? Array.from(view.querySelectorAll("mark[data-place]")).filter((m) => m.dataset.place === data.selected)
    : [];
  marks.forEach((mark) => {
    mark.classList.add("selected");
    const passage = mark.closest(".passage");
    if (passage) passage.classList.add("selected");
  });
  if (marks.length && data.scroll && view.dataset.scrolled !== String(data.scroll)) {
    view.dataset.scrolled = String(data.scroll);
    const first = marks[0];
    const offset = first.getBoundingClientRect().top - view.getBoundingClientRect().top;
    view.scrollTo({ top: Math.max(0, view.scrollTop + offset - view.clientHeight / 3), behavior: "smooth" });
  }
  view.dataset.selected = data.selected || "";
}
