// Site search: Pagefind's UI, in the page's language, started from ?q= so that the plain form works too.
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("search");
  if (!root || typeof PagefindUI === "undefined") return;
  var zh = root.getAttribute("data-lang") === "zh";
  var form = document.querySelector(".search-form");
  if (form) form.hidden = true;
  var ui = new PagefindUI({
    element: "#search",
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    translations: zh ? {
      placeholder: "搜尋執行成效與措施",
      clear_search: "清除",
      load_more: "載入更多結果",
      search_label: "搜尋本站",
      filters_label: "篩選",
      zero_results: "找不到「[SEARCH_TERM]」的結果",
      many_results: "「[SEARCH_TERM]」共 [COUNT] 筆結果",
      one_result: "「[SEARCH_TERM]」共 [COUNT] 筆結果",
      alt_search: "找不到「[SEARCH_TERM]」的結果，以下為「[DIFFERENT_TERM]」的結果",
      search_suggestion: "找不到「[SEARCH_TERM]」的結果，請試試下列搜尋：",
      searching: "正在搜尋「[SEARCH_TERM]」…"
    } : {}
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
