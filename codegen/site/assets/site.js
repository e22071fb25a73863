// The reference site's one script (copied as is by `npm run docs`): the language switch, the search on the index
// and the copy buttons. Every page reads fully without it: both languages show, and the index lists every action.
(() => {
  const root = document.documentElement;
  const STORE = "ccc-docs-lang";

  // -- Language: zh or en, remembered across pages; the first visit follows the browser's language.
  function storedLanguage() {
    try {
      return localStorage.getItem(STORE);
    } catch {
      return null; // storage refused (a private window, a file: URL in some browsers)
    }
  }

  function setLanguage(lang, remember) {
    root.dataset.lang = lang;
    root.lang = lang === "zh" ? "zh-CN" : "en";
    const button = document.getElementById("lang-switch");
    if (button) {
      button.textContent = lang === "zh" ? "English" : "中文";
      button.setAttribute("aria-label", lang === "zh" ? "Switch to English" : "切换到中文");
    }
    if (remember)
      try {
        localStorage.setItem(STORE, lang);
      } catch {
        // not remembered; the switch still works on this page
      }
  }

  const initial = storedLanguage() ?? (navigator.language.toLowerCase().startsWith("zh") ? "zh" : "en");
  setLanguage(initial === "zh" ? "zh" : "en", false);

  document.addEventListener("DOMContentLoaded", () => {
    setLanguage(root.dataset.lang, false);
    document.getElementById("lang-switch")?.addEventListener("click", () => {
      setLanguage(root.dataset.lang === "zh" ? "en" : "zh", true);
    });
    setUpSearch();
    for (const button of document.querySelectorAll("button.copy")) button.addEventListener("click", copy);
  });

  // -- Search: filters the index's entries by name, method and both titles as one types.
  function setUpSearch() {
    const input = document.getElementById("q");
    const entries = [...document.querySelectorAll("li[data-search]")];
    if (!input || !entries.length) return; // another page: the form goes to the index with ?q=
    const status = document.getElementById("search-status");
    const groups = [...document.querySelectorAll("section.group")];
    const run = () => {
      const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      for (const li of entries) {
        const haystack = li.dataset.search;
        const hit = words.every((w) => haystack.includes(w));
        li.hidden = !hit;
        li.classList.toggle("hit", hit && words.length > 0);
        if (hit) shown++;
      }
      for (const g of groups) g.hidden = !g.querySelector("li[data-search]:not([hidden])");
      if (status)
        status.textContent = !words.length
          ? ""
          : root.dataset.lang === "zh"
            ? `找到 ${shown} 个结果（共 ${entries.length} 个）`
            : `${shown} of ${entries.length} match`;
    };
    input.addEventListener("input", run);
    input.form?.addEventListener("submit", (event) => {
      event.preventDefault();
      run();
      entries
        .find((li) => !li.hidden)
        ?.querySelector("a")
        ?.focus();
    });
    const q = new URLSearchParams(location.search).get("q");
    if (q) input.value = q;
    run();
  }

  // -- Copy: the code of the block the button belongs to.
  async function copy(event) {
    const button = event.currentTarget;
    const code = document.getElementById(button.dataset.target)?.textContent ?? "";
    try {
      await navigator.clipboard.writeText(code);
      button.dataset.copied = "true";
    } catch {
      // No clipboard (an insecure context): select the code so a person can copy it.
      const selection = getSelection();
      const range = document.createRange();
      range.selectNodeContents(document.getElementById(button.dataset.target));
      selection?.removeAllRanges();
      selection?.addRange(range);
      button.dataset.copied = "selected";
    }
    const label = button.querySelector(".copy-state");
    if (label) label.textContent = button.dataset.copied === "true" ? "✓" : "⌘C";
  }
})();
