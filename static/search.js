// Site search on Pagefind. The index is built from copies of the pages in which every Han character is a word of
// its own (actionplan/site/search/copies.py), so a Chinese term is asked for as the exact phrase of its characters:
// every page that has the term is found, and no page that lacks it. English words typed together are asked for as
// a phrase too; where no page has the phrase, pages with each of its words are shown, and the status says so. The
// index is in shards (five years' quarters, the rest of the site), merged here (actionplan/site/search/pagefind.py).
// The page is built with DOM calls only (no innerHTML), under the site's Content-Security-Policy.
(function () {
  "use strict";

  var HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}"; // as HAN in copies.py
  var HAN_CHAR = new RegExp("[" + HAN + "]", "gu");
  var HAS_HAN = new RegExp("[" + HAN + "]", "u");
  var STARTS_HAN = new RegExp("^[" + HAN + "]", "u");
  var SPACE = "\u2063"; // as SPACE in copies.py
  var FILTERS = ["type", "edition", "goal", "agency", "status", "quarter"];
  var PAGE_SIZE = 10;
  var SUBS_SHOWN = 3;

  // A query's terms: each whitespace-separated word with Chinese in it is a term; English words typed one after
  // another form one phrase. All terms must be on a page.
  function parseTerms(query) {
    var terms = [], words = [];
    query.trim().split(/\s+/).forEach(function (token) {
      if (!token) return;
      if (HAS_HAN.test(token)) {
        if (words.length) terms.push(words.join(" "));
        words = [];
        terms.push(token);
      } else {
        words.push(token);
      }
    });
    if (words.length) terms.push(words.join(" "));
    return terms;
  }

  // The term as Pagefind's exact search: each Han character a word, the whole a quoted phrase.
  function exactPhrase(term) {
    return '"' + term.replace(HAN_CHAR, " $& ").trim().replace(/\s+/g, " ") + '"';
  }

  // The phrases Pagefind is asked for. Pagefind makes punctuation a word of its own, which takes a position, so a
  // term with Chinese in it is asked for as its pieces between punctuation, all on one page.
  function phrasesOf(term) {
    if (!HAS_HAN.test(term)) return [exactPhrase(term)];
    return term.split(/[^\p{L}\p{N}\p{M}]+/u).filter(Boolean).map(exactPhrase);
  }

  function Engine(base, lang) {
    this.base = base;
    this.lang = lang;
    this.pagefind = null;
    this.facets = null;
  }

  // Pagefind, with the shards of this language's index merged into it (actionplan/site/search/pagefind.py). The
  // first index, which Pagefind asks with the page's language, holds only a placeholder, dropped from what it finds.
  Engine.prototype.load = function () {
    var self = this;
    if (!this.pagefind) {
      var index = this.base + "pagefind/";
      // A Chinese excerpt counts characters, an English one words.
      var options = { baseUrl: self.base, excerptLength: self.lang === "zh" ? 60 : 30 };
      this.pagefind = Promise.all([
        import(index + "pagefind.js"),
        fetch(index + "shards-" + this.lang + ".json").then(function (response) {
          if (!response.ok) throw new Error("shards: HTTP " + response.status);
          return response.json();
        }),
      ]).then(function (loaded) {
        var pagefind = loaded[0], shards = loaded[1];
        return pagefind.options(Object.assign({ basePath: index }, options)).then(function () {
          return Promise.all(shards.shards.map(function (shard) {
            return pagefind.mergeIndex(index + self.lang + "/" + shard + "/", Object.assign({ language: shards.language }, options));
          }));
        }).then(function () {
          return {
            search: function (term) {
              return pagefind.search(term).then(function (found) {
                return { results: found.results.filter(function (result) { return result.id !== shards.placeholder; }) };
              });
            },
          };
        });
      });
    }
    return this.pagefind;
  };

  // Each page's filter values and sort keys (actionplan/site/search.py, write_facets), fetched the first time a
  // reader filters or sorts: {id: {newest, oldest, values: Set of "filter:value"}}.
  Engine.prototype.loadFacets = function () {
    if (!this.facets) {
      this.facets = fetch(this.base + "pagefind/facets-" + this.lang + ".json").then(function (response) {
        if (!response.ok) throw new Error("facets: HTTP " + response.status);
        return response.json();
      }).then(function (index) {
        var pages = new Map();
        Object.keys(index.pages).forEach(function (id) {
          var page = index.pages[id];
          pages.set(id, { newest: page[0], oldest: page[1], values: new Set(page[2].map(function (n) { return index.values[n]; })) });
        });
        return pages;
      });
    }
    return this.facets;
  };

  // Returns {terms, words, results}: every page that has all the terms and passes the filters, best first or in
  // quarter order. Each result has an id, a score and data(), which gives url, meta, excerpt and sub_results.
  // ``words`` is true where an English phrase was on no page and pages with each of its words were returned.
  Engine.prototype.search = function (query, filters, sort) {
    var self = this, terms = parseTerms(query || "");
    filters = filters || {};
    return this.load().then(function (pagefind) {
      if (!terms.length) {
        return pagefind.search(null).then(function (found) { return { words: false, results: found.results }; });
      }
      var asked = [];
      terms.forEach(function (term) {
        phrasesOf(term).forEach(function (phrase) { asked.push({ term: term, phrase: phrase }); });
      });
      if (!asked.length) return { words: false, results: [] };
      return Promise.all(asked.map(function (one) { return askPhrase(pagefind, one.phrase); })).then(function (answers) {
        var words = false;
        var lists = answers.map(function (answer, i) {
          if (answer.exact.length || HAS_HAN.test(asked[i].term) || asked[i].term.indexOf(" ") < 0) return answer.exact;
          words = true;
          return answer.loose;
        });
        return { words: words, results: allOf(lists) };
      });
    }).then(function (found) {
      var filtered = Object.keys(filters).length > 0;
      var arranged = filtered || sort ? self.arrange(found.results, filters, sort) : Promise.resolve(found.results);
      return arranged.then(function (results) {
        return sort || !terms.length ? results : titlesFirst(results, query);
      }).then(function (results) {
        return { terms: terms, words: found.words, results: results };
      });
    });
  };

  // The results that pass the filters, in quarter order where asked (newest or oldest first), else as they came.
  Engine.prototype.arrange = function (results, filters, sort) {
    var wanted = Object.keys(filters).map(function (name) { return name + ":" + filters[name]; });
    return this.loadFacets().then(function (pages) {
      var kept = results.filter(function (result) {
        var page = pages.get(result.id);
        return page && wanted.every(function (value) { return page.values.has(value); });
      });
      if (sort === "newest" || sort === "oldest") {
        var order = kept.map(function (result, i) { return { result: result, i: i, page: pages.get(result.id) }; });
        order.sort(function (a, b) {
          var by = sort === "newest" ? b.page.newest.localeCompare(a.page.newest) : a.page.oldest.localeCompare(b.page.oldest);
          return by || a.i - b.i;
        });
        kept = order.map(function (one) { return one.result; });
      }
      return kept;
    });
  };

  // The pages that have a phrase, from Pagefind's exact search, which finds it but gives every page the same score;
  // ranked by Pagefind's ordinary search for the same words, which weighs where and how often they stand on a page
  // (a title above a list item, a short page above a long one) but also returns pages that have the words apart.
  function askPhrase(pagefind, phrase) {
    return Promise.all([pagefind.search(phrase), pagefind.search(phrase.slice(1, -1))]).then(function (found) {
      return answer(found[0].results, found[1].results);
    });
  }

  // Each result keeps Pagefind's own: Pagefind lets go of a result's data when its result is collected (its
  // FinalizationRegistry), and data() would then give null, as it did for 581 of 952 results on the archive.
  function answer(exact, ranked) {
    var scores = new Map(ranked.map(function (result) { return [result.id, result.score]; }));
    return {
      exact: exact.map(function (result) {
        return { id: result.id, score: scores.get(result.id) || 0, data: once(result.data), pagefind: result };
      }),
      loose: ranked.map(function (result) {
        return { id: result.id, score: result.score, data: once(result.data), pagefind: result };
      }),
    };
  }

  // Pagefind works out a result's excerpt anew on every data() call; the page asks once.
  function once(load) {
    var loaded = null;
    return function () { return loaded || (loaded = load()); };
  }

  // The pages in every list, by their summed scores.
  function allOf(lists) {
    var scores = new Map();
    lists[0].forEach(function (result) { scores.set(result.id, result.score); });
    lists.slice(1).forEach(function (list) {
      var here = new Map(list.map(function (result) { return [result.id, result.score]; }));
      scores.forEach(function (score, id) {
        if (here.has(id)) scores.set(id, score + here.get(id)); else scores.delete(id);
      });
    });
    return lists[0].filter(function (result) { return scores.has(result.id); })
      .sort(function (a, b) { return scores.get(b.id) - scores.get(a.id); });
  }

  // Among the first results, a page whose title is the query comes first: a measure's page above a later
  // edition's measure whose text begins with it.
  function titlesFirst(results, query) {
    var wanted = query.trim().replace(/\s+/g, " ");
    var top = results.slice(0, PAGE_SIZE);
    return Promise.all(top.map(function (result) { return result.data(); })).then(function (pages) {
      var titled = top.filter(function (result, i) { return plain(pages[i].meta.title) === wanted; });
      if (!titled.length) return results;
      return titled.concat(results.filter(function (result) { return titled.indexOf(result) < 0; }));
    });
  }

  // Text as the page has it, from the words Pagefind kept, a space between each two (copies.py): no space stands
  // beside a Han character but where the page had one, which SPACE marks; other words keep theirs.
  function readable(words, add) {
    var lastHan = true, spaceAfter = false;
    words.forEach(function (word) {
      var marked = word.text.slice(-1) === SPACE, text = marked ? word.text.slice(0, -1) : word.text;
      var han = STARTS_HAN.test(text);
      add(spaceAfter || (!han && !lastHan) ? " " : "", text, word.marked);
      lastHan = han;
      spaceAfter = marked;
    });
  }

  function plain(text) {
    var out = "";
    readable((text || "").split(/\s+/).filter(Boolean).map(function (word) { return { text: word }; }),
           function (gap, word) { out += gap + word; });
    return out.trim();
  }

  // Appends Pagefind's excerpt, whose only markup is <mark> around matched words, as text and <mark> elements;
  // the marks of one phrase's words become one.
  function appendExcerpt(parent, excerpt) {
    var words = (excerpt || "").split(/\s+/).map(function (word) {
      return { marked: word.indexOf("<mark>") === 0,
               text: word.replace(/<\/?mark>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">") };
    }).filter(function (word) { return word.text; });
    var mark = null;
    readable(words, function (gap, text, marked) {
      if (marked && mark) { mark.appendChild(document.createTextNode(gap + text)); return; }
      if (gap) parent.appendChild(document.createTextNode(gap));
      if (marked) { mark = document.createElement("mark"); mark.textContent = text; parent.appendChild(mark); }
      else { mark = null; parent.appendChild(document.createTextNode(text)); }
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }

  // An entry's anchor names its quarter, measure and agency: entry-2018-q3-1-1-1-tipo.
  var ENTRY = /#entry-(\d{4})-q(\d)-(\d+)-(\d+)-(\d+)-/;

  // A matched entry's heading names only what its page doesn't already say (the agency on a measure's page);
  // the result adds the quarter, or on a quarter's page the measure.
  function subTitle(sub, type, strings) {
    var title = plain(sub.title), entry = ENTRY.exec(sub.url);
    if (!entry) return title;
    if (type === "quarter") return entry.slice(3, 6).join(".") + " · " + title;
    var year = Number(entry[1]);
    return fill(strings.quarter, { year: year, roc: year - 1911, number: entry[2] }) + " · " + title;
  }

  function anchorMatches(url, filters) {
    var hash = url.split("#")[1] || "";
    if (hash.indexOf("entry-") !== 0) return false;
    if (filters.agency && !hash.endsWith("-" + filters.agency)) return false;
    if (filters.quarter && hash.indexOf("entry-" + filters.quarter.toLowerCase() + "-") !== 0) return false;
    return true;
  }

  // The places in the page that matched, each at its heading's anchor: under an agency or quarter filter, that
  // agency's or quarter's entries where the page has them.
  function subResults(data, filters) {
    var subs = (data.sub_results || []).filter(function (sub) { return sub.url !== data.url && sub.url.indexOf("#") > 0; });
    if (filters.agency || filters.quarter) {
      var entries = subs.filter(function (sub) { return anchorMatches(sub.url, filters); });
      if (entries.length) subs = entries;
    }
    return subs;
  }

  function Page(form) {
    this.form = form;
    this.strings = JSON.parse(form.getAttribute("data-strings"));
    this.engine = new Engine(form.getAttribute("data-base"), form.getAttribute("data-lang"));
    this.status = document.getElementById("search-status");
    this.section = document.querySelector(".search-results");
    this.list = document.getElementById("search-results");
    this.more = document.getElementById("search-more");
    this.results = [];
    this.shown = 0;
    this.filters = {};
    this.run = 0;
  }

  Page.prototype.start = function () {
    var self = this;
    this.form.hidden = false;
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var params = new URLSearchParams();
      new FormData(self.form).forEach(function (value, key) { if (String(value).trim()) params.set(key, String(value).trim()); });
      history.pushState(null, "", "?" + params.toString());
      self.fromLocation();
    });
    this.form.addEventListener("change", function (event) {
      if (event.target.tagName === "SELECT" && (self.form.elements.q.value.trim() || self.anyFilter())) {
        self.form.requestSubmit();
      }
    });
    this.more.addEventListener("click", function () { self.showMore(); });
    window.addEventListener("popstate", function () { self.fromLocation(); });
    this.fromLocation();
  };

  Page.prototype.anyFilter = function () {
    var form = this.form;
    return FILTERS.some(function (name) { return form.elements[name].value; });
  };

  // Runs the search the address describes, so that a search can be linked to and reloaded.
  Page.prototype.fromLocation = function () {
    var params = new URLSearchParams(window.location.search);
    var form = this.form, filters = {};
    form.elements.q.value = params.get("q") || "";
    FILTERS.forEach(function (name) {
      var value = params.get(name) || "";
      form.elements[name].value = value;
      if (form.elements[name].value !== value) form.elements[name].value = ""; // not one of the options
      if (form.elements[name].value) filters[name] = form.elements[name].value;
    });
    form.elements.sort.value = params.get("sort") === "newest" || params.get("sort") === "oldest" ? params.get("sort") : "";
    this.filters = filters;
    if (Object.keys(filters).length || form.elements.sort.value) document.getElementById("search-filters").open = true;
    var query = form.elements.q.value.trim();
    if (!query && !Object.keys(filters).length) {
      this.clear("");
      return;
    }
    this.search(query, filters, form.elements.sort.value);
  };

  Page.prototype.clear = function (status) {
    this.list.replaceChildren();
    this.section.hidden = true;
    this.more.hidden = true;
    this.status.textContent = status;
  };

  Page.prototype.search = function (query, filters, sort) {
    var self = this, run = ++this.run, strings = this.strings;
    this.clear(query ? fill(strings.searching, { term: query }) : "…");
    this.engine.search(query, filters, sort).then(function (found) {
      if (run !== self.run) return; // a newer search has started
      var count = found.results.length, term = found.terms.join(" ");
      var status;
      if (!found.terms.length) status = fill(strings.found_filtered, { count: count });
      else if (!count) status = fill(strings.none, { term: term });
      else if (found.words) status = fill(strings.words, { term: term, count: count });
      else status = fill(count === 1 ? strings.found_one : strings.found, { term: term, count: count });
      self.results = found.results;
      self.shown = 0;
      self.section.hidden = !count;
      return self.showMore().then(function () { self.status.textContent = status; });
    }).catch(function (error) {
      if (run !== self.run) return;
      self.clear(strings.failed);
      if (window.console) console.error(error);
    });
  };

  Page.prototype.showMore = function () {
    var self = this, run = this.run;
    var batch = this.results.slice(this.shown, this.shown + PAGE_SIZE);
    this.shown += batch.length;
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (pages) {
      if (run !== self.run) return;
      var first = null;
      pages.forEach(function (data) {
        var item = self.renderResult(data);
        self.list.appendChild(item);
        first = first || item;
      });
      self.more.hidden = self.shown >= self.results.length;
      // After "show more", the reader continues at the first new result.
      if (first && self.shown > PAGE_SIZE) first.querySelector("a").focus();
    });
  };

  Page.prototype.renderResult = function (data) {
    var strings = this.strings, meta = data.meta || {};
    var item = element("li", "result");
    var kind = element("p", "result-kind");
    kind.appendChild(element("span", "result-type", strings["type_" + (meta.type || "page")] || strings.type_page));
    if (meta.label) kind.appendChild(document.createTextNode(" " + meta.label));
    var heading = element("h3", "result-title");
    var link = element("a", null, plain(meta.title) || data.url);
    link.href = data.url;
    heading.appendChild(link);
    item.append(heading, kind);
    var excerpt = element("p", "result-excerpt");
    appendExcerpt(excerpt, data.excerpt);
    item.appendChild(excerpt);
    var subs = subResults(data, this.filters);
    if (subs.length) {
      var list = element("ul", "sub-results");
      subs.slice(0, SUBS_SHOWN).forEach(function (sub) {
        var entry = element("li");
        var subLink = element("a", null, subTitle(sub, meta.type, strings));
        subLink.href = sub.url;
        var subExcerpt = element("p", "result-excerpt");
        appendExcerpt(subExcerpt, sub.excerpt);
        entry.append(subLink, subExcerpt);
        list.appendChild(entry);
      });
      item.appendChild(list);
      if (subs.length > SUBS_SHOWN) {
        item.appendChild(element("p", "sub-more", fill(strings.more_here, { count: subs.length - SUBS_SHOWN })));
      }
    }
    return item;
  };

  var form = document.getElementById("search-form");
  var page = form ? new Page(form) : null;
  // The benchmark and the tests ask the search exactly as this page does.
  window.siteSearch = page ? page.engine : null;
  if (page) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { page.start(); });
    else page.start();
  }
})();
