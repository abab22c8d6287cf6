// Live preview (python build.py serve only; never published): reloads the page once the site has been rebuilt,
// and shows the problems of a failed build over the page, which still shows the last good build.
"use strict";

(() => {
  const EVENTS = "/__preview/events";
  const STYLESHEET = "/__preview/reload.css";
  // Waits between attempts to reach a stopped preview; after the last one the page stops asking, quietly.
  const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000];
  // Runs of Chinese: from a Han character or CJK punctuation to the last one before a Latin letter.
  const CHINESE_RUN = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef](?:[^A-Za-z]*[\p{Script=Han}\u3000-\u303f\uff00-\uffef])?/gu;
  const ZH = "zh-Hant-TW";

  // The id of the build this page comes from, written into the page by serve.
  const pageBuild = document.currentScript.dataset.build;
  let failedAttempts = 0;
  let panel = null;

  function connect() {
    const source = new EventSource(EVENTS);
    source.onopen = () => { failedAttempts = 0; };
    source.onmessage = (event) => show(JSON.parse(event.data));
    source.onerror = () => {
      // EventSource would retry forever at a fixed pace; retry here instead, slower each time, then give up.
      source.close();
      if (failedAttempts < RETRY_DELAYS_MS.length) {
        setTimeout(connect, RETRY_DELAYS_MS[failedAttempts]);
        failedAttempts += 1;
      }
    };
  }

  function show(state) {
    if (state.site !== pageBuild) {
      location.reload();
    } else if (state.problems.length > 0) {
      showProblems(state.problems, state.summary);
    } else {
      removePanel();
    }
  }

  function element(tag, className, lang) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (lang) node.lang = lang;
    return node;
  }

  // A message in both languages, each part marked with its language.
  function bilingual(tag, english, chinese) {
    const node = element(tag);
    const en = element("span", "", "en");
    en.textContent = english;
    const zh = element("span", "", ZH);
    zh.textContent = chinese;
    node.append(en, " ", zh);
    return node;
  }

  // A line of mixed English and Chinese, as check prints it; the Chinese runs get lang="zh-Hant-TW".
  function mixed(tag, text) {
    const node = element(tag);
    let end = 0;
    for (const run of text.matchAll(CHINESE_RUN)) {
      node.append(text.slice(end, run.index));
      const zh = element("span", "", ZH);
      zh.textContent = run[0];
      node.append(zh);
      end = run.index + run[0].length;
    }
    node.append(text.slice(end));
    return node;
  }

  function showProblems(problems, summary) {
    removePanel();
    // Inserted whole, so screen readers announce it once as an alert.
    panel = element("section", "preview-problems", "en");
    panel.setAttribute("role", "alert");
    panel.setAttribute("aria-labelledby", "preview-problems-title");
    const head = element("div", "preview-problems-head");
    const title = bilingual("h2", "The build failed", "建置失敗");
    title.id = "preview-problems-title";
    const close = bilingual("button", "Close", "關閉");
    close.type = "button";
    close.addEventListener("click", removePanel);
    head.append(title, close);
    const list = element("ul");
    for (const problem of problems) list.append(mixed("li", problem));
    const note = bilingual("p", "This page still shows the last good build; save the fixed file and it reloads.",
      "此頁仍顯示上一次成功建置的版本；修正檔案並存檔後會自動重新載入。");
    panel.append(head, mixed("p", summary), list, note);
    document.body.append(panel);
  }

  function removePanel() {
    if (panel) panel.remove();
    panel = null;
  }

  function addStylesheet() {
    const link = element("link");
    link.rel = "stylesheet";
    link.href = STYLESHEET;
    document.head.append(link);
  }

  addStylesheet();
  connect();
})();
