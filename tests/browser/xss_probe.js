// The XSS probe of tests/browser/test_xss.py, installed with page.add_init_script() so that it runs
// before any script of the page. It records every call of the dialog functions and of the sinks that turn
// a string into code, and offers window.__xssProbe.scan(): what a sanitising failure would leave in the
// parsed DOM, judged by the browser's own HTML and URL parsers.
"use strict";
(() => {
  const calls = [];
  const record = (name, args) => calls.push(`${name}(${Array.from(args, String).join(", ")})`.slice(0, 300));

  for (const name of ["alert", "confirm", "prompt"]) {
    const original = window[name];
    window[name] = function (...args) {
      record(name, args);
      return original.apply(this, args); // the test's dialog listener sees it too, and dismisses it
    };
  }
  window.print = (...args) => record("print", args); // a headless print would only stall the page

  const originalEval = window.eval;
  window.eval = (code) => {
    // Playwright's page.evaluate() goes through the global eval too: that one is the test's, not the page's.
    if (!String(new Error().stack).includes("UtilityScript")) record("eval", [code]);
    return originalEval(code);
  };
  window.Function = new Proxy(window.Function, {
    apply(target, self, args) {
      record("Function", args);
      return Reflect.apply(target, self, args);
    },
    construct(target, args, newTarget) {
      record("new Function", args);
      return Reflect.construct(target, args, newTarget);
    },
  });
  for (const name of ["setTimeout", "setInterval"]) {
    window[name] = new Proxy(window[name], {
      apply(target, self, args) {
        if (typeof args[0] === "string") record(name, args); // a string is code; a function is ours
        return Reflect.apply(target, self, args);
      },
    });
  }
  for (const name of ["write", "writeln"]) {
    const original = Document.prototype[name];
    Document.prototype[name] = function (...args) {
      record(`document.${name}`, args);
      return original.apply(this, args);
    };
  }

  const SAFE_DATA_IMAGE = /^data:image\/(png|jpe?g|gif|webp)[;,]/i;
  const describe = (element) => element.outerHTML.slice(0, 400);

  function dangerousUrl(value) {
    let url;
    try {
      url = new URL(value, document.baseURI); // drops the tabs, newlines and controls browsers skip
    } catch {
      return false; // not a URL the browser would follow
    }
    if (url.protocol === "javascript:" || url.protocol === "vbscript:") return true;
    return url.protocol === "data:" && !SAFE_DATA_IMAGE.test(url.href);
  }

  function ourScript(element) {
    const src = element.getAttribute("src");
    if (src === null || element.textContent.trim() !== "") return false;
    try {
      const url = new URL(src, document.baseURI);
      return url.origin === location.origin && url.pathname.startsWith("/static/");
    } catch {
      return false;
    }
  }

  // `urlAttributes` and `forbiddenElements` are tests/security/scan.py's, so both checks agree.
  function scan({ urlAttributes, forbiddenElements }) {
    const problems = [];
    const jsonLd = [];
    for (const element of document.querySelectorAll("*")) {
      const tag = element.localName.toLowerCase();
      for (const { name, value } of element.attributes) {
        const attribute = name.toLowerCase();
        if (attribute.startsWith("on")) {
          problems.push(`event handler ${attribute}= on ${describe(element)}`);
        } else if (urlAttributes.includes(attribute) && dangerousUrl(value)) {
          problems.push(`${attribute}=${JSON.stringify(value)} on ${describe(element)}`);
        } else if (
          (attribute === "srcset" || attribute === "imagesrcset") &&
          value.split(",").some((part) => dangerousUrl(part.trim().split(/\s+/)[0]))
        ) {
          problems.push(`${attribute}=${JSON.stringify(value)} on ${describe(element)}`);
        }
      }
      if (forbiddenElements.includes(tag)) problems.push(`element ${describe(element)}`);
      if (tag === "meta" && (element.getAttribute("http-equiv") || "").toLowerCase() === "refresh") {
        problems.push(`meta refresh ${describe(element)}`);
      }
      if (tag !== "script") continue;
      if ((element.getAttribute("type") || "").toLowerCase() === "application/ld+json") {
        try {
          jsonLd.push(JSON.parse(element.textContent));
        } catch {
          problems.push(`JSON-LD that is not JSON (broken out?): ${describe(element)}`);
        }
      } else if (!ourScript(element)) {
        problems.push(`script that is not ours: ${describe(element)}`);
      }
    }
    return { problems, jsonLd, calls: calls.slice() };
  }

  Object.defineProperty(window, "__xssProbe", { value: Object.freeze({ scan }) });
})();
