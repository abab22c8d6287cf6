// A candidate search engine for the site, measured by bench/search_quality.py --engine han-phrase.
// The index is built from a copy of the pages in which every Han character stands as a word of its own (a
// zero-width space on each side; see han_words in search_quality.py). A Chinese term is then looked up character
// by character, and a page matches only where the characters stand at consecutive word positions: an exact
// phrase match from the index alone, so recall is complete and nothing that lacks the term is returned.
// Other terms go to Pagefind as they are. Terms separated by spaces must all match.
async ([query, lang]) => {
  const pagefind = await import('/pagefind/pagefind.js');
  const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  const TOKENS = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\s\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
  const found = new Map(); // id -> {result, score}
  let first = true;
  for (const term of query.trim().split(/\s+/)) {
    let matches; // Map id -> {result, score}
    if (HAN.test(term)) {
      const tokens = term.match(TOKENS);
      const perToken = [];
      for (const token of tokens) {
        const search = await pagefind.search(token);
        perToken.push(new Map(search.results.map(r => [r.id, r])));
      }
      matches = new Map();
      for (const [id, r0] of perToken[0]) {
        if (!perToken.every(m => m.has(id))) continue;
        const sets = perToken.map(m => new Set(m.get(id).words));
        let count = 0;
        for (const p of r0.words) if (sets.every((s, k) => s.has(p + k))) count++;
        if (count) matches.set(id, {result: r0, score: perToken.reduce((a, m) => a + m.get(id).score, 0) * count});
      }
    } else {
      const search = await pagefind.search(term);
      matches = new Map(search.results.map(r => [r.id, {result: r, score: r.score}]));
    }
    if (first) { for (const [id, m] of matches) found.set(id, m); first = false; }
    else for (const id of [...found.keys()]) { if (!matches.has(id)) found.delete(id); else found.get(id).score += matches.get(id).score; }
  }
  const ranked = [...found.values()].sort((a, b) => b.score - a.score);
  const urls = [];
  for (const m of ranked) urls.push((await m.result.data()).url);
  return urls;
}
