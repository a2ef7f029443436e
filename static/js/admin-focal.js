// Click the image preview to set the focal point that card crops keep in view.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const preview = document.querySelector(".field-preview img");
  const x = document.getElementById("id_focal_x");
  const y = document.getElementById("id_focal_y");
  if (!preview || !x || !y) return;
  preview.classList.add("focal-picker");
  preview.title = "Click the most important point of the picture";
  preview.addEventListener("click", (event) => {
    const box = preview.getBoundingClientRect();
    x.value = ((event.clientX - box.left) / box.width).toFixed(3);
    y.value = ((event.clientY - box.top) / box.height).toFixed(3);
    x.dispatchEvent(new Event("change"));
  });
});
