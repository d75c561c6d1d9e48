/* The phone checklist, enhanced: live evaluation while typing (eval.js), autosave through a queue kept in
   IndexedDB (answers and photos wait there while offline and sync when the connection returns), photo
   upload with progress, the conflict view, submit. Without this file every form still posts normally. */
(() => {
  "use strict";
  const app = document.getElementById("app"), dataNode = document.getElementById("zhsq-standard");
  if (!app || !dataNode || !window.fetch || !window.ZHSQEval) {
    document.documentElement.classList.remove("js");  // the plain forms must show every box again
    return;
  }
  document.documentElement.classList.add("js");

  const STD = JSON.parse(dataNode.textContent);
  const DEFS = Object.fromEntries(STD.items.map((item) => [item.number, item]));
  const { code: CODE, round: ROUND } = app.dataset, EDIT = !!app.dataset.edit;
  const VERDICT = STD.labels;  // the server's words (standards.evaluation.VERDICT_LABELS)
  const syncEl = document.getElementById("sync"), forms = {}, timers = {};
  let syncing = false, blocked = "";

  // ---------- helpers ----------
  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const uuid = () => {
    if (crypto.randomUUID) return crypto.randomUUID();  // only in secure contexts; plain http on a LAN lacks it
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, (x) => (x + 256).toString(16).slice(1)).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  const csrf = (form) => {
    // Read at send time: logging in again rotates the token, and a queued save must carry the new one.
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    const input = (form || document).querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  };
  const keyOf = (n) => `${CODE}:${n}`;

  // ---------- the queue: IndexedDB (memory where a browser refuses it) ----------
  const memory = { answers: {}, photos: {} };
  const dbReady = new Promise((resolve) => {
    if (!window.indexedDB) return resolve(null);
    const open = indexedDB.open("zhsq-mobile", 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore("answers", { keyPath: "key" });
      open.result.createObjectStore("photos", { keyPath: "client_id" });
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => resolve(null);
  });
  const done = (r) => new Promise((ok, ko) => { r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
  const tx = (name, mode, fn) => dbReady.then((db) => (db ? fn(db.transaction(name, mode).objectStore(name)) : fn(null)));
  const put = (name, value) => tx(name, "readwrite", (s) => (s ? done(s.put(value)) : (memory[name][value.key || value.client_id] = value)));
  const del = (name, id) => tx(name, "readwrite", (s) => (s ? done(s.delete(id)) : delete memory[name][id]));
  const get = (name, id) => tx(name, "readonly", (s) => (s ? done(s.get(id)) : memory[name][id]));
  const all = (name) => tx(name, "readonly", (s) => (s ? done(s.getAll()) : Object.values(memory[name])))
    .then((rows) => rows.filter((r) => r.code === CODE));

  // ---------- reading and writing a form ----------
  const collect = (form) => {
    const values = {}, na = {};
    for (const f of DEFS[form._n].fields) {
      const name = `v.${f.key}`;
      if (f.kind === "choices") {
        const picked = Array.from(form.querySelectorAll(`input[name="${name}"]:checked`), (i) => i.value);
        if (picked.length) values[f.key] = picked;
        const marks = {};
        form.querySelectorAll(`input[name="na.${f.key}"]:checked`).forEach((i) => {
          const note = form.elements[`nn.${f.key}.${i.value}`];
          marks[i.value] = note ? note.value : "";
        });
        if (Object.keys(marks).length) na[f.key] = marks;
      } else if (f.kind === "bool") {
        const on = form.querySelector(`input[name="${name}"]:checked`);
        if (on) values[f.key] = on.value;
      } else if (form.elements[name] && form.elements[name].value !== "") {
        values[f.key] = form.elements[name].value;
      }
    }
    return { values, not_applicable: na, note: form.elements.note ? form.elements.note.value : "", round: ROUND };
  };
  const fill = (form, payload) => {
    const values = payload.values || {}, na = payload.not_applicable || {};
    for (const f of DEFS[form._n].fields) {
      const name = `v.${f.key}`, v = values[f.key];
      if (f.kind === "choices") {
        const list = Array.isArray(v) ? v : v ? [v] : [], marks = na[f.key] || {};
        form.querySelectorAll(`input[name="${name}"]`).forEach((i) => { i.checked = list.includes(i.value); });
        form.querySelectorAll(`input[name="na.${f.key}"]`).forEach((i) => {
          i.checked = Object.prototype.hasOwnProperty.call(marks, i.value);
          const note = form.elements[`nn.${f.key}.${i.value}`];
          if (note) note.value = i.checked ? marks[i.value] : "";
        });
      } else if (f.kind === "bool") {
        const word = v === true ? "true" : v === false ? "false" : String(v || "");
        form.querySelectorAll(`input[name="${name}"]`).forEach((i) => { i.checked = i.value === word; });
      } else if (form.elements[name]) {
        form.elements[name].value = v === undefined || v === null ? "" : String(v);
      }
    }
    if (form.elements.note) form.elements.note.value = payload.note || "";
  };

  // ---------- verdicts ----------
  const photoCount = (form) => form.querySelectorAll(".th li:not(.perr)").length;
  const markNa = (form) => form.querySelectorAll(".op").forEach((op) => {
    const na = op.querySelector(".na input");
    op.classList.toggle("na-on", !!(na && na.checked));  // shows the note box where :has() is missing
  });
  const renderEval = (form, ev, live) => {
    const box = form.querySelector(".ev"), list = el("ul"), head = el("p", `v-${ev.verdict}`, "判定：");
    head.appendChild(el("b", "", VERDICT[ev.verdict]));
    if (live) head.appendChild(el("span", "live", " （实时计算，保存后以服务器判定为准）"));
    const line = (o, invalid) => {
      const li = el("li", `v-${invalid ? "invalid" : o.verdict}`);
      if (o.key) li.dataset.rule = o.key;
      li.append(el("b", "", VERDICT[invalid ? "invalid" : o.verdict]), o.message);
      list.appendChild(li);
    };
    ev.rules.forEach((o) => line(o));
    ev.requirements.forEach((o) => { if (o.verdict !== "pass") line(o); });
    ev.errors.forEach((o) => line(o, true));
    box.replaceChildren(head, list);
    const chip = form._details.querySelector("[data-verdict]");
    chip.className = `chip v-${ev.verdict}`;
    chip.textContent = VERDICT[ev.verdict];
    DEFS[form._n].fields.forEach((f, i) => {
      const fd = form._fields[i], msgs = ev.errors.filter((e) => e.field === f.key).map((e) => e.message);
      let fe = fd.querySelector(".fe");
      if (!fe) fd.appendChild((fe = el("small", "fe")));
      fe.textContent = msgs.join("；");
      fd.classList.toggle("bad", msgs.length > 0);
    });
    markNa(form);
  };
  const liveEval = (form) => {
    const p = collect(form);
    renderEval(form, ZHSQEval.evaluateItem(DEFS[form._n], p.values, p.not_applicable, photoCount(form), STD.min_photos, STD.na_flags), true);
  };
  const setRevision = (form, revision) => { form._rev = revision; form.elements.base_revision.value = revision; };
  const setCounts = (counts) => {
    if (counts) document.querySelectorAll("[data-count]").forEach((b) => { b.textContent = counts[b.dataset.count]; });
  };
  const applyState = (form, state) => {
    setRevision(form, state.revision);
    form._details.className = `item s-${state.status}`;
    form._details.querySelector(".chip.s").textContent = state.status_label;
    const reason = form._details.querySelector("summary .reason");
    if (reason && state.status !== "returned") reason.remove();  // resubmitted: the verifier's reason is answered
    form.querySelector(".fs").disabled = state.status === "approved";
    renderEval(form, state.evaluation, false);
    setCounts(state.counts);
  };
  const notice = (form, text, isError) => {
    let box = form._notice;
    if (!box) form.querySelector(".ev").after((box = form._notice = el("p", "msg")));
    box.className = `msg ${isError ? "error" : "success"}`;
    box.textContent = text;
    box.hidden = !text;
  };

  // ---------- "n 项待同步" ----------
  const refreshCount = () => Promise.all([all("answers"), all("photos")]).then(([answers, photos]) => {
    const n = answers.length + photos.length;
    if (blocked) return n;
    syncEl.hidden = !n;
    syncEl.className = "sync";
    syncEl.textContent = `${n} 项待同步${navigator.onLine ? (syncing ? "，正在同步…" : "") : "（当前离线，联网后自动同步）"}`;
    return n;
  });
  const setBlocked = (message, login) => {
    // Sending stops until the worker acts (logs in again, reloads); the queue stays on the phone meanwhile.
    blocked = message || "暂时无法同步";
    syncEl.hidden = false;
    syncEl.className = "sync err";
    syncEl.textContent = `${blocked} `;
    if (login) {
      const link = el("a", "", "重新登录");
      link.href = `${login}?next=${encodeURIComponent(location.pathname)}`;
      syncEl.appendChild(link);
    }
  };

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
  const fresh = (n, payload, revision, url) => ({
    key: keyOf(n), code: CODE, n, url: url || `${forms[n].action}save/`, request_id: uuid(),
    base_revision: revision, payload, attempted: false,
  });
  const queueSave = (form) => {
    clearTimeout(timers[form._n]);
    delete timers[form._n];
    const payload = collect(form), text = JSON.stringify(payload);
    return update(keyOf(form._n), (entry) => {
      if (!entry) return text === form._saved ? undefined : fresh(form._n, payload, form._rev);
      if (entry.conflict) { entry.payload = payload; return entry; }  // waits for the worker's choice
      if (entry.attempted && !entry.invalid) { entry.next = payload; return entry; }  // after the one in flight
      if (entry.invalid) Object.assign(entry, { request_id: uuid(), invalid: false, attempted: false });
      entry.payload = payload;
      return entry;
    }).then(() => { refreshCount(); sync(); });
  };
  const schedule = (form) => {
    clearTimeout(timers[form._n]);
    timers[form._n] = setTimeout(() => queueSave(form), 900);
  };
  const send = (url, body, form) => {
    const ctl = new AbortController(), timer = setTimeout(() => ctl.abort(), 20000);
    const headers = { Accept: "application/json", "X-CSRFToken": csrf(form) };
    if (typeof body === "string") headers["Content-Type"] = "application/json";
    return fetch(url, { method: "POST", credentials: "same-origin", signal: ctl.signal, body, headers }).then((r) => {
      clearTimeout(timer);
      const fallback = r.status === 403 ? "页面已过期，请刷新页面（未同步的内容保存在本机）" : "服务器暂时无法处理，稍后自动重试";
      return r.json().catch(() => ({ ok: false, message: fallback })).then((data) => Object.assign(data, { status: r.status }));
    });
  };
  const sendAnswer = (key) => {
    let sent = null;
    return update(key, (entry) => {
      if (!entry || entry.conflict || entry.invalid) return undefined;
      entry.attempted = true;  // from now on this exact request (same id, same payload) is what gets retried
      return (sent = entry);
    }).then(() => {
      if (!sent) return undefined;
      const p = sent.payload, form = forms[sent.n];
      const body = JSON.stringify({ request_id: sent.request_id, base_revision: sent.base_revision, round: p.round,
                                    values: p.values, not_applicable: p.not_applicable, note: p.note });
      return send(sent.url, body, form).then((data) => (data.ok ? answerSaved : answerRefused)(sent, form, data));
    });
  };
  const mine = (sent, entry) => entry && entry.request_id === sent.request_id;
  const answerSaved = (sent, form, data) => {
    let follow = null;
    return update(sent.key, (entry) => {
      if (!mine(sent, entry)) return undefined;
      return (follow = entry.next ? fresh(sent.n, entry.next, data.item.revision, sent.url) : null);
    }).then(() => {
      if (!form) return;
      if (!follow && !timers[form._n]) {
        form._saved = JSON.stringify(sent.payload);
        applyState(form, data.item);  // nothing newer typed: the server's verdict replaces the live one
      } else {
        setRevision(form, data.item.revision);
        setCounts(data.item.counts);
      }
      if (form._conflict) form._conflict.hidden = true;
      notice(form, "");
    });
  };
  const answerRefused = (sent, form, data) => {
    if (data.status === 401 || data.status === 403) {
      setBlocked(data.message, data.login);
      throw new Error("blocked");
    }
    if (data.status >= 500) throw new Error("server");
    if (data.status === 409 && data.code === "conflict") {
      if (form) showConflict(form, data);
      return update(sent.key, (entry) => {
        if (!mine(sent, entry)) return undefined;
        if (entry.next) Object.assign(entry, { payload: entry.next, next: null });
        return Object.assign(entry, { conflict: data });
      });
    }
    if (data.status === 400) {
      if (form) notice(form, `${data.message}：${Object.values(data.errors || {}).join("；")}`, true);
      return update(sent.key, (entry) => {
        if (!mine(sent, entry)) return undefined;
        return entry.next ? fresh(sent.n, entry.next, sent.base_revision, sent.url) : Object.assign(entry, { invalid: true });
      });
    }
    // Locked (approved, round closed): retrying cannot help. The answer stays on screen with the reason.
    if (form) notice(form, data.message, true);
    return update(sent.key, (entry) => (mine(sent, entry) ? null : undefined));
  };
  const showConflict = (form, data) => {
    let box = form._conflict;
    if (!box) {
      form.querySelector(".ev").before((box = form._conflict = el("div", "conf")));
      box.setAttribute("role", "alert");
    }
    const table = el("table"), head = el("tr");
    ["", "您的版本", `服务器上的版本（${data.theirs.updated_by || "他人"} ${data.theirs.updated_at}）`]
      .forEach((t) => head.appendChild(el("th", "", t)));
    table.appendChild(head);
    for (const row of data.rows) {
      const tr = el("tr", row.differs ? "diff" : "");
      tr.append(el("th", "", row.label), el("td", "", row.mine), el("td", "", row.theirs));
      table.appendChild(tr);
    }
    const acts = el("p", "acts"), keep = el("button", "", "保留我的版本"), take = el("button", "sec", "使用服务器版本");
    keep.type = take.type = "button";
    keep.onclick = () => resolveConflict(form, data, true);
    take.onclick = () => resolveConflict(form, data, false);
    acts.append(keep, take);
    box.replaceChildren(el("b", "", data.message), table, acts);
    box.hidden = false;
    form._details.open = true;
  };
  const resolveConflict = (form, data, keepMine) => {
    const key = keyOf(form._n);
    form._conflict.hidden = true;
    setRevision(form, data.theirs.revision);
    if (!keepMine) {
      fill(form, data.theirs);
      form._saved = JSON.stringify(collect(form));
      liveEval(form);
      return update(key, () => null).then(refreshCount);
    }
    // Overwriting is the worker's explicit choice after seeing both versions: rebase on the server's revision.
    return update(key, () => fresh(form._n, collect(form), data.theirs.revision)).then(sync);
  };

  // ---------- photos ----------
  const removeBox = (id) => {
    const label = el("label", "rm"), box = el("input");
    box.type = "checkbox";
    box.name = "remove";
    box.value = id || "";
    label.append(box, "移除");
    return label;
  };
  const thumb = (photo) => {
    const li = el("li"), a = el("a"), img = el("img");
    li.dataset.id = photo.id;
    a.href = photo.display;
    img.src = photo.thumb;
    img.alt = "照片";
    a.appendChild(img);
    li.appendChild(a);
    if (photo.old) li.appendChild(el("i", "w", "拍摄早于本轮"));
    if (photo.duplicate) li.appendChild(el("i", "w", "与其他社区重复"));
    li.appendChild(removeBox(photo.id));
    return li;
  };
  const pendingThumb = (form, entry) => {
    const li = el("li", "pend"), img = el("img"), bar = el("span", "bar-p");
    li.dataset.client = entry.client_id;
    img.src = URL.createObjectURL(entry.blob);
    img.alt = entry.name;
    bar.style.width = "0";
    li.append(img, el("i", "w", "待上传"), bar, removeBox(""));
    form.querySelector(".th").appendChild(li);
  };
  const addFiles = (form, files) => {
    for (const file of files) {
      const entry = { client_id: uuid(), key: keyOf(form._n), code: CODE, n: form._n, url: `${form.action}photos/`,
                      blob: file, name: file.name, queued_at: Date.now() };
      pendingThumb(form, entry);
      put("photos", entry).then(() => { refreshCount(); sync(); });
    }
    liveEval(form);
  };
  const upload = (entry) => {
    const form = forms[entry.n], li = form && form.querySelector(`[data-client="${entry.client_id}"]`);
    return new Promise((resolve, reject) => {
      const body = new FormData(), xhr = new XMLHttpRequest();  // XHR, not fetch: it reports upload progress
      body.append("photo", entry.blob, entry.name);
      body.append("client_id", entry.client_id);
      xhr.open("POST", entry.url);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRFToken", csrf(form));
      xhr.timeout = 120000;
      xhr.upload.onprogress = (e) => {
        if (li && e.lengthComputable) li.querySelector(".bar-p").style.width = `${Math.round((88 * e.loaded) / e.total)}px`;
      };
      xhr.onload = () => {
        let data;
        try { data = JSON.parse(xhr.responseText); } catch (e) { data = { ok: false, message: "上传失败" }; }
        resolve(Object.assign(data, { status: xhr.status }));
      };
      xhr.onerror = xhr.ontimeout = () => reject(new Error("network"));
      xhr.send(body);
    }).then((data) => {
      if (data.ok) {
        if (li) li.replaceWith(thumb(data.photo));
        if (form) applyState(form, data.item);
        return del("photos", entry.client_id);
      }
      if (data.status === 401 || data.status === 403) {
        setBlocked(data.message, data.login);
        throw new Error("blocked");
      }
      if (data.status >= 500) throw new Error("server");
      if (li) {  // refused for good (not a photo, too big, item locked): say why, keep nothing queued
        li.className = "perr";
        li.querySelector(".w").textContent = "未上传";
        li.appendChild(el("span", "perr", data.message));
      }
      if (form) notice(form, `${entry.name}：${data.message}`, true);
      return del("photos", entry.client_id);
    }, (err) => {
      if (li) li.querySelector(".bar-p").style.width = "0";
      throw err;
    });
  };
  const removePhoto = (form, li) => {
    if (li.dataset.client) {
      li.remove();
      return del("photos", li.dataset.client).then(() => { liveEval(form); refreshCount(); });
    }
    if (li.classList.contains("perr")) { li.remove(); return liveEval(form); }
    const box = li.querySelector("input[name=remove]");
    const keep = (message) => { box.checked = false; notice(form, message, true); };
    if (!navigator.onLine) return keep("离线时不能移除已上传的照片，请联网后再试");
    return send(`${form.action}photos/${li.dataset.id}/remove/`, new FormData(), form).then((data) => {
      if (!data.ok) return keep(data.message);
      li.remove();
      applyState(form, data.item);
    }, () => keep("网络不通，照片未移除，请稍后再试"));
  };

  // ---------- the sync loop ----------
  let running = null, rerun = false;
  const syncPass = () => all("answers")
    .then((entries) => entries.filter((e) => !e.conflict && !e.invalid)
      .reduce((chain, e) => chain.then(() => sendAnswer(e.key)), Promise.resolve()))
    .then(() => all("photos"))
    .then((entries) => entries.reduce((chain, e) => chain.then(() => upload(e)), Promise.resolve()))
    // A save queued while this pass ran (or a rebased conflict) goes out now rather than on the next tick.
    .then(() => all("answers")).then((left) => left.some((e) => !e.attempted && !e.conflict && !e.invalid));
  function sync() {
    // One pass at a time; a call during a pass asks for another and waits for it, so "sync, then look at the
    // queue" (submit) sees every save queued before it.
    if (blocked) return Promise.resolve();
    if (running) { rerun = true; return running; }
    syncing = true;
    refreshCount();
    running = syncPass().catch(() => false).then((again) => {
      running = null;
      syncing = false;
      refreshCount();
      if (again || rerun) { rerun = false; return sync(); }
      return undefined;
    });
    return running;
  }

  const submitItem = (form) => queueSave(form).then(sync).then(() => get("answers", keyOf(form._n))).then((left) => {
    if (left) return notice(form, left.conflict ? "请先处理版本冲突再提交" : "还有未同步的修改，联网同步后再提交", true);
    return send(`${form.action}submit/`, new FormData(), form).then((data) => {
      if (data.ok) applyState(form, data.item);
      notice(form, data.message, !data.ok);
    }, () => notice(form, "网络不通，暂时不能提交，请稍后再试", true));
  });

  // ---------- wiring ----------
  document.querySelectorAll("form.f").forEach((form) => {
    const details = form.closest("details.item");
    Object.assign(form, { _n: parseInt(details.dataset.n, 10), _details: details, _fields: form.querySelectorAll(".fd") });
    form._rev = parseInt(form.elements.base_revision.value, 10);
    forms[form._n] = form;
    form._saved = JSON.stringify(collect(form));
    markNa(form);
    if (!EDIT) return;
    form.addEventListener("input", (e) => {
      if (e.target.type === "file" || e.target.name === "remove") return;
      liveEval(form);
      schedule(form);
    });
    form.addEventListener("change", (e) => {
      if (e.target.type === "file") {
        addFiles(form, e.target.files);
        e.target.value = "";  // choosing the same picture again must fire again
      } else if (e.target.name === "remove") {
        removePhoto(form, e.target.closest("li"));
      } else {
        liveEval(form);
        queueSave(form);
      }
    });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (e.submitter && e.submitter.value === "submit") submitItem(form);
      else queueSave(form);
    });
  });

  const allForm = document.getElementById("submit-all");
  if (allForm) {
    allForm.addEventListener("submit", (e) => {
      e.preventDefault();
      Object.values(forms).forEach((f) => { if (timers[f._n]) queueSave(f); });
      sync().then(() => all("answers")).then((left) => {
        if (left.length) {
          syncEl.hidden = false;
          syncEl.textContent = "还有未同步的修改，联网同步后再提交";
          return undefined;
        }
        return send(allForm.action, new FormData(), allForm).then((data) => {
          alert(data.message);
          if (data.ok) location.reload();
        }, () => alert("网络不通，暂时不能提交，请稍后再试"));
      });
    });
  }

  // Put back what this phone still holds from earlier visits (closed tab, flat battery, no signal), then send it.
  all("answers").then((entries) => {
    for (const entry of entries) {
      const form = forms[entry.n];
      if (!form) continue;
      fill(form, entry.next || entry.payload);
      liveEval(form);
      if (entry.conflict) showConflict(form, entry.conflict);
    }
    return all("photos");
  }).then((entries) => {
    for (const entry of entries) {
      if (forms[entry.n]) { pendingThumb(forms[entry.n], entry); liveEval(forms[entry.n]); }
    }
    refreshCount();
    sync();
  });
  addEventListener("online", () => { blocked = ""; sync(); });
  addEventListener("offline", refreshCount);
  addEventListener("pagehide", () => Object.values(forms).forEach((f) => { if (timers[f._n]) queueSave(f); }));
  setInterval(() => { if (navigator.onLine) sync(); }, 30000);
})();
