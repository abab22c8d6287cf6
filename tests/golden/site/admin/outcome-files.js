// Makes Decap CMS read and write outcome entries under the file names the site uses, then starts Decap.
//
// Decap's i18n (structure: multiple_files) puts every locale in the file name, the default one included, and Decap
// 3.x has no option to leave it out (Sveltia CMS's omit_default_locale_from_filename is not Decap's). It also
// lowercases a new entry's slug and turns its dots into dashes. So, for one entry, Decap and the repository say:
//
//   Decap, existing entry   content/outcomes/2024-Q3/3.1.5.tipo.zh.md   content/outcomes/2024-Q3/3.1.5.tipo.en.md
//   Decap, new entry        content/outcomes/2024-q3/3-1-5.tipo.zh.md   content/outcomes/2024-q3/3-1-5.tipo.en.md
//   repository              content/outcomes/2024-Q3/3.1.5.tipo.md      content/outcomes/2024-Q3/3.1.5.tipo.en.md
//
// This script wraps the configured backend (GitHub, or the in-browser test repository) and translates every path
// that crosses between Decap and the backend: the repository's names on the way in, Decap's on the way out. Quarters
// (2024-Q3) and measure numbers (3.1.5) have fixed forms, so a lowercased quarter and a dashed measure number can
// only be Decap's. An English file that would translate nothing (no text, no translated field) is not written.
//
// Its settings come from its <script> tag's data- attributes, which actionplan/site/admin.py writes with config.yml.
(function () {
  "use strict";

  var settings = document.currentScript.dataset;
  var folder = settings.folder.replace(/\/+$/, "") + "/";
  var ext = "." + settings.extension;
  var defaultLocale = settings.defaultLocale;
  var otherLocales = settings.locales.split(" ").filter(function (locale) { return locale !== defaultLocale; });
  var translated = settings.translated.split(" ");
  var tagged = "." + defaultLocale + ext;

  function endsWith(text, end) {
    return text.length >= end.length && text.slice(-end.length) === end;
  }

  function inFolder(path) {
    return typeof path === "string" && path.indexOf(folder) === 0 && path.indexOf("/", folder.length) > 0;
  }

  function localeOf(path) {
    var all = [defaultLocale].concat(otherLocales);
    for (var i = 0; i < all.length; i++) {
      if (endsWith(path, "." + all[i] + ext)) return all[i];
    }
    return null;
  }

  // Decap's path → the repository's.
  function toRepo(path) {
    if (!inFolder(path)) return path;
    var rel = path.slice(folder.length);
    var slash = rel.indexOf("/");
    var dir = rel.slice(0, slash);
    var name = rel.slice(slash + 1);
    var quarter = /^([0-9]{4})-q([1-4])$/.exec(dir);
    if (quarter) dir = quarter[1] + "-Q" + quarter[2];
    var measure = /^([0-9]+(?:-[0-9]+)+)(\..+)$/.exec(name);
    if (measure) name = measure[1].replace(/-/g, ".") + measure[2];
    if (endsWith(name, tagged)) name = name.slice(0, -tagged.length) + ext;
    return folder + dir + "/" + name;
  }

  // The repository's path → Decap's: a file without a locale in its name is the default locale's.
  function fromRepo(path) {
    if (!inFolder(path) || !endsWith(path, ext) || localeOf(path) !== null) return path;
    return path.slice(0, -ext.length) + tagged;
  }

  // Entries are fresh objects from the backend; lists may carry Decap's cursor as a property, so they are kept.
  function renameEntries(list) {
    (list || []).forEach(function (entry) {
      if (entry && entry.file) entry.file = Object.assign({}, entry.file, { path: fromRepo(entry.file.path) });
    });
    return list;
  }

  function translatesNothing(file) {
    var parts = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n([\s\S]*))?$/.exec(file.raw || "");
    if (!parts || (parts[2] || "").trim()) return false;
    return !parts[1].split(/\r?\n/).some(function (line) {
      var field = /^([A-Za-z_][A-Za-z0-9_]*):(.*)$/.exec(line);
      return field && translated.indexOf(field[1]) >= 0 && !/^\s*(""|''|null|~)?\s*$/.test(field[2]);
    });
  }

  var adapted = {
    entriesByFolder: function (backend, args) {
      return backend.entriesByFolder.apply(backend, args).then(renameEntries);
    },
    allEntriesByFolder: function (backend, args) {
      var pattern = args[3];
      // Decap filters the repository's paths with a pattern written for its own names.
      if (pattern) args[3] = { test: function (path) { return pattern.test(fromRepo(path)); } };
      return backend.allEntriesByFolder.apply(backend, args).then(renameEntries);
    },
    traverseCursor: function (backend, args) {
      return backend.traverseCursor.apply(backend, args).then(function (page) {
        renameEntries(page.entries);
        return page;
      });
    },
    entriesByFiles: function (backend, args) {
      return backend.entriesByFiles.apply(backend, args).then(renameEntries);
    },
    getEntry: function (backend, args) {
      return backend.getEntry(toRepo(args[0])).then(function (entry) { return renameEntries([entry])[0]; });
    },
    persistEntry: function (backend, args) {
      var files = (args[0].dataFiles || []).filter(function (file) {
        return otherLocales.indexOf(localeOf(file.path)) < 0 || !translatesNothing(file);
      }).map(function (file) {
        var copy = Object.assign({}, file, { path: toRepo(file.path) });
        if (file.newPath) copy.newPath = toRepo(file.newPath);
        return copy;
      });
      return backend.persistEntry.apply(backend, [Object.assign({}, args[0], { dataFiles: files })].concat(args.slice(1)));
    },
    deleteFiles: function (backend, args) {
      return backend.deleteFiles.apply(backend, [args[0].map(toRepo)].concat(args.slice(1)));
    },
    unpublishedEntry: function (backend, args) {
      return backend.unpublishedEntry.apply(backend, args).then(function (entry) {
        if (!entry || !entry.diffs) return entry;
        // A copy: the test repository hands out the object it keeps.
        return Object.assign({}, entry, {
          diffs: entry.diffs.map(function (diff) { return Object.assign({}, diff, { path: fromRepo(diff.path) }); }),
        });
      });
    },
    unpublishedEntryDataFile: function (backend, args) {
      return backend.unpublishedEntryDataFile.apply(backend, [args[0], args[1], toRepo(args[2])].concat(args.slice(3)));
    },
  };

  function adapt(backend) {
    return new Proxy(backend, {
      get: function (target, name) {
        var value = target[name];
        if (typeof value !== "function") return value;
        if (Object.prototype.hasOwnProperty.call(adapted, name)) {
          return function () { return adapted[name](target, Array.prototype.slice.call(arguments)); };
        }
        return value.bind(target);
      },
    });
  }

  // Decap's registry hands out the entry it keeps, so replacing its init adapts every backend Decap creates from
  // it. That is Decap's inside, not its documented API: tests/test_admin.py opens, edits and creates entries in
  // chromium, and fails if an update of the bundle changes it.
  var registered = window.CMS.getBackend(settings.backend);
  if (!registered) throw new Error("Decap has no backend named " + settings.backend);
  var init = registered.init;
  registered.init = function () { return adapt(init.apply(null, arguments)); };
  window.CMS.init();
})();
