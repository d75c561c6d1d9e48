/* The phone's offline side, on every phone page (window.ZHSQ): the queue of answers, photos and originals in
   IndexedDB and the loop that sends it (on every page open and when the connection returns; iOS has no
   Background Sync), the banner "离线 · n 项待同步 · 上次同步 HH:MM", the service worker that keeps the pages
   for offline use, and logging out, which warns about unsynced items before clearing this worker's data.
   app.js (the item forms) listens to what happens here through ZHSQ.on(). */
(() => {
  "use strict";
  const body = document.body, USER = body.dataset.user || "";
  if (!window.fetch || typeof BigInt !== "function" || !window.Promise) return;  // old browsers: plain forms
  document.documentElement.classList.add("js");

  const ORIGINALS = body.dataset.originals || "never";
  // Words from the JavaScript catalog (/jsi18n/<language>/); the Chinese source where it is missing.
  const _ = window.gettext || ((t) => t), ngettext = window.ngettext || ((a, b, n) => (n === 1 ? a : b));
  const fmt = (t, v) => t.replace(/%\((\w+)\)s/g, (m, k) => v[k]);
  const syncEl = document.getElementById("sync");
  const listeners = {};
  const on = (type, fn) => { (listeners[type] = listeners[type] || []).push(fn); };
  const emit = (type, detail) => (listeners[type] || []).forEach((fn) => { try { fn(detail); } catch (e) { /* UI */ } });
  const uuid = () => {
    if (crypto.randomUUID) return crypto.randomUUID();  // only in secure contexts; plain http on a LAN lacks it
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, (x) => (x + 256).toString(16).slice(1)).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  const csrf = () => {
    // Read at send time: logging in again rotates the token, and a queued save must carry the new one.
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    const input = document.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  };
  const hhmm = (t, seconds) => new Date(t).toTimeString().slice(0, seconds ? 8 : 5);

  // ---------- IndexedDB (memory where a browser refuses it) ----------
  const STORES = { answers: "key", photos: "client_id", originals: "client_id", saved: "key", meta: "k" };
  const memory = { answers: {}, photos: {}, originals: {}, saved: {}, meta: {} };
  const dbReady = new Promise((resolve) => {
    if (!window.indexedDB) return resolve(null);
    const open = indexedDB.open("zhsq-mobile", 2);
    open.onupgradeneeded = () => Object.keys(STORES).forEach((name) => {
      if (!open.result.objectStoreNames.contains(name)) open.result.createObjectStore(name, { keyPath: STORES[name] });
    });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => resolve(null);
  });
  const done = (r) => new Promise((ok, ko) => { r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
  const tx = (name, mode, fn) => dbReady.then((db) => (db ? fn(db.transaction(name, mode).objectStore(name)) : fn(null)));
  const put = (name, value) => tx(name, "readwrite", (s) => (s ? done(s.put(value)) : (memory[name][value[STORES[name]]] = value)));
  const del = (name, id) => tx(name, "readwrite", (s) => (s ? done(s.delete(id)) : delete memory[name][id]));
  const get = (name, id) => tx(name, "readonly", (s) => (s ? done(s.get(id)) : memory[name][id]));
  const all = (name) => tx(name, "readonly", (s) => (s ? done(s.getAll()) : Object.values(memory[name])));
  const clear = (name) => tx(name, "readwrite", (s) => (s ? done(s.clear()) : (memory[name] = {})));
  const meta = (k) => get("meta", k).then((row) => (row ? row.v : undefined));
  const setMeta = (k, v) => put("meta", { k, v });

  // ---------- the banner ----------
  let syncing = false, blocked = "", netDown = false, lastSync = 0;
  const offline = () => !navigator.onLine || netDown;
  const wifi = () => {
    const c = navigator.connection;
    return !!(c && (c.type === "wifi" || c.type === "ethernet"));
  };
  // Items and photos counted apart: "1 项、1 张照片", not "2 项".
  const counts = () => Promise.all([all("answers"), all("photos"), all("originals")])
    .then(([a, p, o]) => ({ answers: a.length, photos: p.length, items: a.length + p.length, originals: o.length }));
  const waiting = (n) => [
    n.answers && fmt(ngettext("%(n)s 项", "%(n)s 项", n.answers), { n: n.answers }),
    n.photos && fmt(ngettext("%(n)s 张照片", "%(n)s 张照片", n.photos), { n: n.photos }),
  ].filter(Boolean).join(_("、")) || fmt(ngettext("%(n)s 项", "%(n)s 项", 0), { n: 0 });
  let sending = null;  // the original being sent: {i, n, share}
  const originalsLine = (n) => {
    if (sending) return fmt(_("正在发送高清原图 %(i)s/%(n)s"), { i: sending.i, n: sending.n });
    return fmt(ngettext("%(n)s 张高清原图待发送", "%(n)s 张高清原图待发送", n.originals), { n: n.originals });
  };
  const status = () => counts().then((n) => {
    if (!syncEl || blocked) return n;
    const parts = [], originals = (n.originals || sending) && ORIGINALS !== "never";
    if (offline()) {
      parts.push(_("离线"));
      parts.push(fmt(_("%(what)s待同步"), { what: waiting(n) }));
      parts.push(fmt(_("上次同步 %(time)s"), { time: lastSync ? hhmm(lastSync) : "—" }));
    } else if (n.items) {
      parts.push(fmt(_("%(what)s待同步"), { what: waiting(n) }) + (syncing ? _("，正在同步…") : ""));
    }
    if (originals) parts.push(originalsLine(n));
    syncEl.hidden = !parts.length;
    syncEl.className = offline() ? "sync off" : "sync";
    syncEl.textContent = parts.join(" · ");
    if (sending) {
      const bar = Object.assign(document.createElement("progress"), { max: 1, value: sending.share });
      bar.setAttribute("aria-label", _("高清原图发送进度"));
      syncEl.append(" ", bar);
    } else if (originals && !offline()) {
      syncEl.append(" ", button(_("现在发送"), sendOriginalsNow));
      if (ORIGINALS === "optional") syncEl.append(" ", button(_("不发送高清原图"), dropOriginals));
    }
    return n;
  });
  const button = (text, onclick) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "link";
    b.textContent = text;
    b.addEventListener("click", onclick);
    return b;
  };
  const block = (message, login) => {
    // Sending stops until the worker acts (logs in again, reloads); the queue stays on the phone meanwhile.
    blocked = message || _("暂时无法同步");
    syncEl.hidden = false;
    syncEl.className = "sync err";
    syncEl.textContent = `${blocked} `;
    if (login) {
      const link = document.createElement("a");
      link.textContent = _("重新登录");
      link.href = `${login}?next=${encodeURIComponent(location.pathname)}`;
      syncEl.appendChild(link);
    }
  };
  const synced = () => {
    netDown = false;
    lastSync = Date.now();
    return setMeta("lastSync", lastSync);
  };

  // ---------- sending ----------
  const post = (url, body, timeout) => {
    const ctl = new AbortController(), timer = setTimeout(() => ctl.abort(), timeout || 20000);
    const headers = { Accept: "application/json", "X-CSRFToken": csrf() };
    if (typeof body === "string") headers["Content-Type"] = "application/json";
    return fetch(url, { method: "POST", credentials: "same-origin", signal: ctl.signal, body, headers }).then((r) => {
      clearTimeout(timer);
      const fallback = r.status === 403 ? _("页面已过期，请刷新页面（未同步的内容保存在本机）") : _("服务器暂时无法处理，稍后自动重试");
      return r.json().catch(() => ({ ok: false, message: fallback })).then((data) => Object.assign(data, { status: r.status }));
    }, (err) => {
      clearTimeout(timer);
      netDown = true;
      throw err;
    });
  };
  const upload = (url, fields, progress, timeout) => new Promise((resolve, reject) => {
    const form = new FormData(), xhr = new XMLHttpRequest();  // XHR, not fetch: it reports upload progress
    Object.keys(fields).forEach((k) => (Array.isArray(fields[k]) ? form.append(k, ...fields[k]) : form.append(k, fields[k])));
    xhr.open("POST", url);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRFToken", csrf());
    xhr.timeout = timeout || 120000;
    xhr.upload.onprogress = (e) => { if (e.lengthComputable && progress) progress(e.loaded / e.total); };
    xhr.onload = () => {
      let data;
      try { data = JSON.parse(xhr.responseText); } catch (e) { data = { ok: false, message: _("上传失败") }; }
      resolve(Object.assign(data, { status: xhr.status }));
    };
    xhr.onerror = xhr.ontimeout = () => { netDown = true; reject(new Error("network")); };
    xhr.send(form);
  });
  // 401/403 stop the loop (log in again); 5xx are retried later; anything else is an answer for the caller.
  const settle = (data) => {
    if (data.status === 401 || data.status === 403) {
      block(data.message, data.login);
      throw new Error("blocked");
    }
    if (data.status >= 500) throw new Error("server");
    if (data.ok) synced();
    if (data.item) remember(data.item);
    return data;
  };

  // What the server last said about an item, so a page from the offline cache shows what this phone saved.
  const remember = (state) => {
    const code = state.code || (document.getElementById("app") || { dataset: {} }).dataset.code;
    if (!code) return null;
    if (state.counts) keepCounts(code, state.counts);
    return put("saved", { key: `${code}:${state.number}`, code, n: state.number, at: state.counts ? state.counts.at : Date.now(), state });
  };
  const keepCounts = (code, c) => meta(`counts:${code}`).then((old) => {
    if (!old || (c.at || 0) >= (old.at || 0)) return setMeta(`counts:${code}`, c).then(() => emit("counts", { code, counts: c }));
    return undefined;
  });

  // ---------- answers ----------
  // Each change to a queued answer is a read-modify-write done one at a time, so an edit made while a save is
  // in flight is never overwritten by that save's bookkeeping. `change` returns the entry to store, null to
  // delete it, or undefined to leave it.
  let lock = Promise.resolve();
  const update = (key, change) => {
    const run = lock.then(() => get("answers", key)).then((entry) => {
      const out = change(entry);
      if (out === null) return entry ? del("answers", key) : null;
      return out ? put("answers", out).then(() => out) : undefined;
    });
    lock = run.catch(() => {});
    return run;
  };
  const fresh = (code, n, payload, revision, url) => ({
    key: `${code}:${n}`, code, n, url, request_id: uuid(), base_revision: revision, payload, attempted: false,
  });
  const queueAnswer = (a) => update(`${a.code}:${a.n}`, (entry) => {
    if (!entry) return a.unchanged ? undefined : fresh(a.code, a.n, a.payload, a.revision, a.url);
    if (entry.conflict) { entry.payload = a.payload; return entry; }  // waits for the worker's choice
    if (entry.attempted && !entry.invalid) { entry.next = a.payload; return entry; }  // after the one in flight
    if (entry.invalid) Object.assign(entry, { request_id: uuid(), invalid: false, attempted: false });
    entry.payload = a.payload;
    return entry;
  }).then(() => { status(); sync(); });
  const mine = (sent, entry) => entry && entry.request_id === sent.request_id;
  const sendAnswer = (key) => {
    let sent = null;
    return update(key, (entry) => {
      if (!entry || entry.conflict || entry.invalid) return undefined;
      entry.attempted = true;  // from now on this exact request (same id, same payload) is what gets retried
      return (sent = entry);
    }).then(() => {
      if (!sent) return undefined;
      const p = sent.payload;
      const body = JSON.stringify({ request_id: sent.request_id, base_revision: sent.base_revision, round: p.round,
                                    values: p.values, not_applicable: p.not_applicable, note: p.note });
      return post(sent.url, body).then(settle).then((data) => (data.ok ? answerSaved : answerRefused)(sent, data));
    });
  };
  const answerSaved = (sent, data) => {
    let follow = null;
    return update(sent.key, (entry) => {
      if (!mine(sent, entry)) return undefined;
      return (follow = entry.next ? fresh(sent.code, sent.n, entry.next, data.item.revision, sent.url) : null);
    }).then(() => emit("answer-saved", { entry: sent, data, follow }));
  };
  const answerRefused = (sent, data) => {
    if (data.status === 409 && data.code === "conflict") {
      emit("answer-conflict", { entry: sent, data });
      return update(sent.key, (entry) => {
        if (!mine(sent, entry)) return undefined;
        if (entry.next) Object.assign(entry, { payload: entry.next, next: null });
        return Object.assign(entry, { conflict: data });
      });
    }
    // Malformed (400) or its request id already used for other content (409 "reused"): resending cannot help, and
    // the edit is the worker's, so it stays on this phone, not sent again until the worker changes or saves it.
    if (data.status === 400 || (data.status === 409 && data.code === "reused")) {
      emit("answer-invalid", { entry: sent, data });
      return update(sent.key, (entry) => {
        if (!mine(sent, entry)) return undefined;
        return entry.next ? fresh(sent.code, sent.n, entry.next, sent.base_revision, sent.url) : Object.assign(entry, { invalid: true });
      });
    }
    // Locked (submitted, approved, round closed): retrying cannot help. The answer stays on screen with the reason.
    emit("answer-locked", { entry: sent, data });
    return update(sent.key, (entry) => (mine(sent, entry) ? null : undefined));
  };

  // ---------- photos and originals ----------
  const queuePhoto = (entry) => put("photos", entry).then(() => { status(); sync(); });
  const sendPhoto = (entry) => {
    const fields = { photo: [entry.blob, entry.name || "photo.jpg"], client_id: entry.client_id };
    if (entry.facts) fields.declared = JSON.stringify(entry.facts);
    const progress = (share) => emit("photo-progress", { entry, share });
    return upload(entry.url, fields, progress).then(settle).then((data) => {
      if (!data.ok) {  // refused for good (not a photo, too big, item locked): say why, keep nothing queued
        emit("photo-refused", { entry, data });
        return del("photos", entry.client_id);
      }
      const keep = entry.original && data.photo && data.photo.original_pending && ORIGINALS !== "never";
      const original = keep && { client_id: entry.client_id, code: entry.code, n: entry.n, url: data.photo.original,
                                 evidence: data.photo.id, blob: entry.original, name: entry.name, force: false };
      return (original ? put("originals", original) : Promise.resolve())
        .then(() => del("photos", entry.client_id)).then(() => emit("photo-done", { entry, data }));
    });
  };
  // Minutes on a slow link: the timeout allows ~10 KB/s, or the original never goes and the banner never clears.
  const sendOriginal = (entry, i, n) => {
    sending = { i, n, share: 0 };
    status();
    const progress = (share) => {
      sending.share = share;
      const bar = syncEl && syncEl.querySelector("progress");
      if (bar) bar.value = share;
    };
    return upload(entry.url, { original: [entry.blob, entry.name || "original.jpg"] }, progress,
                  120000 + (entry.blob.size || 0) / 10)
      .then(settle).then((data) => {
        emit(data.ok ? "original-done" : "original-refused", { entry, data });
        return del("originals", entry.client_id);  // kept, or refused for good (not the declared original)
      }).finally(() => { sending = null; status(); });
  };
  function sendOriginalsNow() {
    all("originals").then((rows) => Promise.all(rows.map((r) => put("originals", Object.assign(r, { force: true })))))
      .then(() => sync());
  }
  function dropOriginals() {
    clear("originals").then(status);
  }

  // ---------- the sync loop ----------
  let running = null, rerun = false;
  const inTurn = (rows, fn) => rows.reduce((chain, row) => chain.then(() => fn(row)), Promise.resolve());
  const syncPass = () => all("answers")
    .then((rows) => inTurn(rows.filter((e) => !e.conflict && !e.invalid), (e) => sendAnswer(e.key)))
    .then(() => all("photos")).then((rows) => inTurn(rows, sendPhoto))
    // Originals are big: they go on Wi-Fi, or when the worker says so.
    .then(() => all("originals")).then((rows) => {
      const due = rows.filter((e) => e.force || wifi());
      return inTurn(due.map((e, i) => [e, i + 1]), ([e, i]) => sendOriginal(e, i, due.length));
    })
    // A save queued while this pass ran (or a rebased conflict) goes out now rather than on the next tick.
    .then(() => all("answers")).then((left) => left.some((e) => !e.attempted && !e.conflict && !e.invalid));
  function sync() {
    // One pass at a time; a call during a pass asks for another and waits for it, so "sync, then look at the
    // queue" (submit) sees every save queued before it.
    if (blocked) return Promise.resolve();
    if (running) { rerun = true; return running; }
    syncing = true;
    status();
    running = syncPass().catch(() => false).then((again) => {
      running = null;
      syncing = false;
      status();
      if (again || rerun) { rerun = false; return sync(); }
      return undefined;
    });
    return running;
  }

  // ---------- the service worker: pages kept for offline use ----------
  const worker = () => (navigator.serviceWorker && navigator.serviceWorker.controller) || null;
  const ask = (message, timeout) => new Promise((resolve) => {
    const target = worker();
    if (!target || !window.MessageChannel) return resolve(null);
    const channel = new MessageChannel(), timer = setTimeout(() => resolve(null), timeout || 3000);
    channel.port1.onmessage = (e) => { clearTimeout(timer); resolve(e.data); };
    target.postMessage(message, [channel.port2]);
  });
  const refreshPages = (force) => {
    if (!navigator.serviceWorker || !USER) return;
    navigator.serviceWorker.ready.then((reg) => reg.active && reg.active.postMessage({ type: "refresh", force }));
  };
  const startWorker = () => {
    if (!navigator.serviceWorker || !USER || !body.dataset.sw) return;
    navigator.serviceWorker.register(body.dataset.sw, { scope: "/" }).then(() => refreshPages(false), () => {});
    navigator.serviceWorker.addEventListener("message", (e) => {
      const m = e.data || {};
      if (m.type !== "refreshed") return;
      if (m.ok) body.dataset.offlinePages = m.pages;  // how many pages this phone keeps for offline use
      if (m.ok && m.cached) return;  // asked again too soon: nothing new
      if (m.ok) {
        synced();
        Object.keys(m.counts || {}).forEach((code) => keepCounts(code, Object.assign({ at: m.at }, m.counts[code])));
      } else if (m.offline) {
        netDown = true;
      }
      emit("pages", m);
      status();
    });
  };

  // ---------- whose phone this is ----------
  const clearAll = () => Promise.all(Object.keys(STORES).map(clear)).then(() => ask({ type: "clear" }));
  const checkUser = () => meta("user").then((owner) => {
    // Another worker's queue and pages never show (or get sent) under this login.
    if (owner && owner !== USER) return clearAll().then(() => setMeta("user", USER));
    return owner ? undefined : setMeta("user", USER);
  });
  document.querySelectorAll("form[data-logout]").forEach((form) => form.addEventListener("submit", (e) => {
    e.preventDefault();
    counts().then((n) => {
      const originals = ORIGINALS === "required" ? n.originals : 0;
      const words = [n.items && fmt(_("%(what)s未同步"), { what: waiting(n) }),
                     originals && fmt(_("%(n)s 张高清原图未发送"), { n: originals })].filter(Boolean);
      const question = _("本机还有%(what)s。退出登录会删除本机保存的这些内容，确定退出吗？");
      if (words.length && !confirm(fmt(question, { what: words.join(_("、")) }))) return;
      clearAll().then(() => form.submit());
    });
  }));

  const ready = USER ? checkUser() : Promise.resolve();
  ready.then(() => meta("lastSync")).then((t) => { lastSync = t || 0; status(); sync(); });
  if (USER && navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
  addEventListener("load", startWorker);
  addEventListener("online", () => { blocked = ""; netDown = false; sync(); refreshPages(true); });
  addEventListener("offline", status);
  setInterval(() => { if (navigator.onLine) sync(); }, 30000);

  window.ZHSQ = {
    USER, ORIGINALS, _, ngettext, fmt, ready, on, emit, uuid, post, settle, status, sync, block, synced, hhmm,
    put, get, del, all, meta, queueAnswer, queuePhoto, update, fresh, remember, offline,
    dropAnswer: (code, n) => update(`${code}:${n}`, () => null).then(status),
    rebase: (code, n, payload, revision, url) => update(`${code}:${n}`, () => fresh(code, n, payload, revision, url)).then(sync),
  };
})();
