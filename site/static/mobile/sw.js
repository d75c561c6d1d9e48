/* The phone's service worker, served at /sw.js (scope /) by checklists.mobile.offline, which puts
   self.ZHSQ = {version, shell, manifest, home, logout, offline, language} in front of this file.

   - The app shell (the phone's CSS and scripts, hashed names in production) is precached per deployment
     version; a new deployment installs a new worker, which drops the old shell and every cached page.
   - The worker's pages (home, and the checklist and 25 item pages of every community they serve in the open
     round) are listed with their ETags by the manifest; after login and whenever a page opens online, pages
     whose ETag changed are fetched again. A navigation revalidates its cached copy with If-None-Match (a 304
     is a few hundred bytes), and falls back to the copy when there is no network or it is too slow.
   - Only the logged-in worker's own pages and thumbnails are kept, and all of them are dropped when the
     login changes (the manifest says whose they are) or on logout. Nothing else is cached: the admin, the
     login page, JSON, full-size photos and originals always go to the network.
   - A kept page not yet downloaded, asked for offline, gets a short offline page in the language the manifest
     last named (CFG.offline carries each language's words, rendered by the server's catalog). */
"use strict";
const CFG = self.ZHSQ;
const SHELL = `zhsq-shell-${CFG.version}`, PAGES = "zhsq-pages", META = "/__zhsq/meta";
const PAGE = /^\/(c\/\d{12}\/(items\/\d+\/)?)?$/, THUMB = /^\/c\/\d{12}\/evidence\/\d+\/thumb\/$/;
const NAVIGATION_WAIT = 4000;  // after this, a slow network loses to the cached copy

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(CFG.shell)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  // A new version: old shells go, and so do pages that point at the old shell's files.
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== SHELL).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()).then(() => refresh(true)));
});

const etagOf = (response) => (response && response.headers.get("ETag") || "").replace(/^W\//, "");
const readMeta = (cache) => cache.match(META).then((r) => (r ? r.json() : {}));
const writeMeta = (cache, meta) => cache.put(META, new Response(JSON.stringify(meta), {
  headers: { "Content-Type": "application/json" },
}));
const timeout = (promise, ms) => new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("timeout")), ms);
  promise.then((v) => { clearTimeout(timer); resolve(v); }, (e) => { clearTimeout(timer); reject(e); });
});
const tell = (message) => self.clients.matchAll({ includeUncontrolled: true })
  .then((clients) => clients.forEach((client) => client.postMessage(message)));

// Fetch a page, revalidating the cached copy; keep it when the answer is a fresh page with an ETag.
const fetchPage = (cache, url, cached) => {
  const headers = { Accept: "text/html" };
  const tag = etagOf(cached);
  if (tag) headers["If-None-Match"] = tag;
  const request = new Request(url, { headers, credentials: "same-origin", redirect: "manual", cache: "no-store" });
  return fetch(request).then((response) => {
    if (response.status === 304 && cached) return cached;
    if (response.status === 200 && etagOf(response)) {
      return cache.put(url, response.clone()).then(() => response);
    }
    if (response.status === 403 || response.status === 404) cache.delete(url);  // no longer this worker's
    return response;
  });
};

const known = () => caches.open(PAGES).then(readMeta).then((meta) => meta.pages || {});

const handlePage = (request) => {
  const url = new URL(request.url).pathname;
  return Promise.all([caches.open(PAGES), known()]).then(([cache, pages]) => {
    if (!(url in pages)) return fetch(request);  // not one of this worker's offline pages
    return cache.match(url, { ignoreVary: true }).then((cached) => {
      const network = fetchPage(cache, url, cached);
      if (!cached) return network.catch(() => readMeta(cache).then(offlinePage));
      // The cached copy when offline or slow; the network's answer still updates the cache when it comes.
      return timeout(network, NAVIGATION_WAIT).catch(() => cached);
    });
  });
};

const handleStatic = (request) => caches.match(request, { ignoreSearch: true, ignoreVary: true })
  .then((hit) => hit || fetch(request));

const handleThumb = (request) => caches.open(PAGES).then((cache) => cache.match(request, { ignoreVary: true })
  .then((hit) => hit || fetch(request).then((response) => {
    // Only thumbnails this worker was just allowed to see, dropped with the pages at logout.
    if (response.status === 200) cache.put(request, response.clone());
    return response;
  })));

self.addEventListener("fetch", (event) => {
  const request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (PAGE.test(url.pathname) && !url.search) event.respondWith(handlePage(request));
  else if (CFG.shell.indexOf(url.pathname) >= 0) event.respondWith(handleStatic(request));
  else if (THUMB.test(url.pathname)) event.respondWith(handleThumb(request));
});

// The list of pages and their ETags; drop everything when the login changed; fetch what changed. Pages opening
// one after another ask at most every REFRESH_EVERY ms (a reconnection or a new login always asks).
const REFRESH_EVERY = 20000;
let refreshing = null, refreshed = 0;
function refresh(force) {
  if (refreshing) return refreshing;
  if (!force && Date.now() - refreshed < REFRESH_EVERY) {
    return known().then((pages) => tell({ type: "refreshed", ok: true, cached: true,
                                          pages: Object.keys(pages).length }));
  }
  refreshing = fetch(CFG.manifest, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
    .then((response) => {
      if (!response.ok) return tell({ type: "refreshed", ok: false, status: response.status });
      return response.json().then(update).then(() => { refreshed = Date.now(); });
    }, () => tell({ type: "refreshed", ok: false, offline: true }))
    .finally(() => { refreshing = null; });
  return refreshing;
}

// {home: {"/": tag}, communities: {code: {list: tag, items: {n: tag}}}} -> {url: tag}
function pagesOf(manifest) {
  const pages = Object.assign({}, manifest.home);
  Object.keys(manifest.communities).forEach((code) => {
    const c = manifest.communities[code];
    pages[`/c/${code}/`] = c.list;
    Object.keys(c.items).forEach((n) => { pages[`/c/${code}/items/${n}/`] = c.items[n]; });
  });
  return pages;
}

function update(manifest) {
  manifest.pages = pagesOf(manifest);
  return caches.open(PAGES).then((cache) => readMeta(cache).then((meta) => {
    const login = `${manifest.user}:${manifest.session}`;
    const start = meta.login === login ? Promise.resolve(cache)
      : caches.delete(PAGES).then(() => caches.open(PAGES));
    return start.then((pages) => sync(pages, manifest).then((fetched) => writeMeta(pages, {
      login, pages: manifest.pages, at: manifest.at, language: manifest.language,
    }).then(() => tell({ type: "refreshed", ok: true, at: manifest.at, counts: manifest.counts, fetched,
                         pages: Object.keys(manifest.pages).length }))));
  }));
}

function sync(cache, manifest) {
  const urls = Object.keys(manifest.pages);
  let fetched = 0;
  const next = () => {
    const url = urls.shift();
    if (!url) return Promise.resolve();
    return cache.match(url, { ignoreVary: true }).then((cached) => {
      if (cached && etagOf(cached) === `"${manifest.pages[url]}"`) return undefined;
      fetched += 1;
      return fetchPage(cache, url, cached).catch(() => undefined);
    }).then(next);
  };
  // Pages that are no longer the worker's go; one download at a time keeps a weak link usable meanwhile.
  return cache.keys().then((requests) => Promise.all(requests.map((r) => {
    const path = new URL(r.url).pathname;
    return PAGE.test(path) && !(path in manifest.pages) ? cache.delete(r) : null;
  }))).then(next).then(() => fetched);
}

function offlinePage(meta) {
  const css = CFG.shell.find((u) => /\.css$/.test(u));
  const language = meta && CFG.offline[meta.language] ? meta.language : CFG.language, words = CFG.offline[language];
  const html = `<!doctype html><html lang="${language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${words.title}</title>
<link rel="stylesheet" href="${css}"></head><body><main><section class="card">
${words.body}
</section></main></body></html>`;
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("message", (event) => {
  const m = event.data || {}, reply = (data) => event.ports[0] && event.ports[0].postMessage(data);
  if (m.type === "refresh") event.waitUntil(refresh(m.force));
  if (m.type === "clear") {
    refreshed = 0;
    event.waitUntil(caches.delete(PAGES).then(() => reply({ type: "cleared" })));
  }
});
