// ChatBotDysa website: progressive enhancement only; every page works without it.
// 1. Forms marked data-validate show our own field messages before posting.
// 2. The ROI calculator asks the server (the one formula) again as the visitor types.
"use strict";
document.querySelectorAll("form[data-validate]").forEach((form) => {
  form.noValidate = true;
  const show = (el) => {
    const out = document.getElementById(el.id + "-error");
    const ok = el.checkValidity();
    el.setAttribute("aria-invalid", ok ? "false" : "true");
    if (out) out.textContent = ok ? "" : el.dataset.msg || el.validationMessage;
    return ok;
  };
  form.addEventListener("submit", (ev) => {
    const bad = [...form.elements].filter((el) => el.willValidate && el.id && !show(el));
    if (bad.length) {
      ev.preventDefault();
      bad[0].focus();
    }
  });
  // While typing, not on blur: clearing a message on blur shifts the layout under the
  // pointer that is about to press the submit button.
  form.addEventListener("input", (ev) => {
    if (ev.target.getAttribute("aria-invalid") === "true") show(ev.target);
  });
});

const roi = document.getElementById("roi-form");
if (roi) {
  let timer = 0;
  roi.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const query = new URLSearchParams(new FormData(roi)).toString();
      const url = roi.getAttribute("action") + "?" + query;
      const res = await fetch(url, { headers: { Accept: "text/html" } });
      const doc = new DOMParser().parseFromString(await res.text(), "text/html");
      const fresh = doc.getElementById("roi-result");
      if (fresh) document.getElementById("roi-result").replaceWith(fresh);
      for (const el of roi.querySelectorAll("input")) {
        const err = doc.getElementById(el.id + "-error");
        document.getElementById(el.id + "-error").textContent = err ? err.textContent : "";
        el.setAttribute("aria-invalid", err && err.textContent ? "true" : "false");
      }
      history.replaceState(null, "", url);
    }, 250);
  });
}
