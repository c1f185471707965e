// Small enhancements only: the pages read fully without this script.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Layer switches on the article page (hidden without JavaScript, where every layer shows).
  const layers = document.querySelector(".layers");
  if (layers) {
    layers.hidden = false;
    layers.addEventListener("change", (event) => {
      const box = event.target;
      document.body.classList.toggle("hide-" + box.dataset.layer, !box.checked);
    });
  }
  // Hovering or focusing a statement in the side list lights up its words in the text.
  for (const link of document.querySelectorAll(".statements .jump")) {
    const target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) continue;
    const pieces = [target];
    for (let next = target.nextElementSibling; next && next.classList.contains("cont"); next = next.nextElementSibling) pieces.push(next);
    const light = (on) => pieces.forEach((piece) => piece.classList.toggle("lit", on));
    for (const [type, on] of [["mouseenter", true], ["mouseleave", false], ["focus", true], ["blur", false]]) {
      link.addEventListener(type, () => light(on));
    }
  }
});
