// Drag a booth on the staff floor plan to move it. The drop posts the booth's move form, the same
// request a form without this script could send; the server checks the place and answers with
// the plan again (or the reason it refused). A click without dragging still selects the booth.
(() => {
  const SNAP = 0.5; // metres
  const token = () => document.querySelector('input[name="_csrf_token"]')?.value;

  const post = (action, fields) => {
    const form = document.createElement("form");
    form.method = "post";
    form.action = action;
    for (const [name, value] of Object.entries(fields)) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.append(input);
    }
    document.body.append(form);
    form.submit();
  };

  for (const svg of document.querySelectorAll("svg.editor-svg")) {
    let drag = null;

    const point = (event) => {
      const p = svg.createSVGPoint();
      p.x = event.clientX;
      p.y = event.clientY;
      return p.matrixTransform(svg.getScreenCTM().inverse());
    };

    svg.addEventListener("pointerdown", (event) => {
      const link = event.target.closest("a.booth-link[data-move-url]");
      if (!link || event.button !== 0) return;
      event.preventDefault(); // no text selection while dragging
      const booth = link.querySelector("g.booth");
      drag = { link, booth, start: point(event), dx: 0, dy: 0, moved: false,
               x: parseFloat(booth.dataset.x), y: parseFloat(booth.dataset.y) };
    });

    window.addEventListener("pointermove", (event) => {
      if (!drag) return;
      const now = point(event);
      drag.dx = Math.round((now.x - drag.start.x) / SNAP) * SNAP;
      drag.dy = Math.round((now.y - drag.start.y) / SNAP) * SNAP;
      if (!drag.dx && !drag.dy && !drag.moved) return;
      drag.moved = true;
      drag.booth.setAttribute("transform", `translate(${drag.dx} ${drag.dy})`);
      drag.booth.classList.add("dragging");
    });

    window.addEventListener("pointerup", () => {
      if (!drag) return;
      const { link, booth, moved, dx, dy, x, y } = drag;
      drag = null;
      if (!moved) return; // a click: the link selects the booth
      link.addEventListener("click", (e) => e.preventDefault(), { once: true, capture: true });
      if (!dx && !dy) {
        booth.removeAttribute("transform");
        booth.classList.remove("dragging");
        return;
      }
      post(link.dataset.moveUrl, {
        _csrf_token: token(), x: Math.max(0, x + dx).toFixed(2), y: Math.max(0, y + dy).toFixed(2),
      });
    });

    window.addEventListener("pointercancel", () => {
      if (drag) {
        drag.booth.removeAttribute("transform");
        drag.booth.classList.remove("dragging");
      }
      drag = null;
    });
  }
})();

// A new booth's size follows its type (premium 6 × 3 m…) until the size is typed by hand.
for (const form of document.querySelectorAll("form[data-type-sizes]")) {
  const sizes = JSON.parse(form.dataset.typeSizes);
  const type = form.elements.booth_type;
  const width = form.elements.width;
  const depth = form.elements.depth;
  let typed = false;
  for (const input of [width, depth]) input.addEventListener("input", () => { typed = true; });
  type?.addEventListener("change", () => {
    const size = sizes[type.value];
    if (!size || typed) return;
    [width.value, depth.value] = size.map((v) => String(v));
  });
}
