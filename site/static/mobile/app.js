/* The phone checklist, enhanced: live evaluation while typing (eval.js, loaded when first needed), autosave
   through the queue kept by
   offline.js (window.ZHSQ), photos prepared on the phone (photoprep.js: a display copy and the original's
   facts go first), the conflict view, submit, withdraw and submit all. Without this file every form still
   posts normally. */
(() => {
  "use strict";
  const app = document.getElementById("app"), dataNode = document.getElementById("zhsq-standard"), Z = window.ZHSQ;
  if (!app || !dataNode || !Z) {
    document.documentElement.classList.remove("js");  // the plain forms must show every box again
    return;
  }

  const { _, ngettext, fmt } = Z;  // the phone's words through the JavaScript catalog (offline.js)
  const STD = JSON.parse(dataNode.textContent);
  const DEFS = Object.fromEntries(STD.items.map((item) => [item.number, item]));
  const { code: CODE, round: ROUND } = app.dataset, EDIT = !!app.dataset.edit;
  const VERDICT = STD.labels;  // the server's words (standards.evaluation.VERDICT_LABELS)
  const PAGE_AT = Number(document.body.dataset.at || 0);  // when the server rendered this page (ms)
  const forms = {}, timers = {};
  let countsAt = PAGE_AT;

  // ---------- helpers ----------
  const el = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const keyOf = (n) => `${CODE}:${n}`;
  // Scripts loaded when first needed (cached by the service worker for offline use).
  const loaded = {};
  const script = (url, name) => loaded[url] || (loaded[url] = window[name] ? Promise.resolve(window[name]) : new Promise((resolve) => {
    const tag = el("script");
    tag.src = url;
    tag.onload = () => resolve(window[name] || null);
    tag.onerror = () => { delete loaded[url]; resolve(null); };
    document.head.appendChild(tag);
  }));
  const button = (text, cls, onclick) => {
    const b = el("button", cls, text);
    b.type = "button";
    b.addEventListener("click", onclick);
    return b;
  };

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

  // ---------- verdicts, states and counts ----------
  const photoCount = (form) => form.querySelectorAll(".th li[data-id], .th li.pend").length;
  const markNa = (form) => form.querySelectorAll(".op").forEach((op) => {
    const na = op.querySelector(".na input");
    op.classList.toggle("na-on", !!(na && na.checked));  // shows the note box where :has() is missing
  });
  const renderEval = (form, ev, live) => {
    const box = form.querySelector(".ev"), list = el("ul"), head = el("p", `v-${ev.verdict}`, _("判定："));
    head.appendChild(el("b", "", VERDICT[ev.verdict]));
    if (live) head.appendChild(el("span", "live", _(" （实时计算，保存后以服务器判定为准）")));
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
    DEFS[form._n].fields.forEach((f, i) => {
      const fd = form._fields[i], msgs = ev.errors.filter((e) => e.field === f.key).map((e) => e.message);
      let fe = fd.querySelector(".fe");
      if (!fe) fd.appendChild((fe = el("small", "fe")));
      fe.textContent = msgs.join("；");
      fd.classList.toggle("bad", msgs.length > 0);
    });
    markNa(form);
  };
  const liveEval = (form) => script(app.dataset.eval, "ZHSQEval").then((E) => {
    if (!E) return;  // no live verdict; the server's comes with the next save
    const p = collect(form);
    renderEval(form, E.evaluateItem(DEFS[form._n], p.values, p.not_applicable, photoCount(form), STD.min_photos, STD.na_flags), true);
  });
  const setRevision = (form, revision) => { form._rev = revision; form.elements.base_revision.value = revision; };
  const setCounts = (counts) => document.querySelectorAll("[data-count]").forEach((b) => {
    if (counts[b.dataset.count] !== undefined) b.textContent = counts[b.dataset.count];
  });
  // The whole checklist is on the page: its counts are those of the items shown, so they always agree.
  const DONE = ["draft-ready", "submitted", "approved-pass"];
  const WHOLE = document.querySelectorAll("details.item").length === STD.items.length && STD.items.length > 1;
  const recount = () => {
    if (!WHOLE) return;
    const items = Array.from(document.querySelectorAll("details.item")), chip = (c) => items.filter((d) => d.dataset.chip === c).length;
    // 已完成 as selectors.mobile.DONE_CHIPS counts it; the parts add up to the total.
    const done = (list) => list.filter((d) => DONE.includes(d.dataset.chip)).length;
    setCounts({ total: items.length, done: done(items), ready: chip("draft-ready"), unfinished: chip("draft"),
                submitted: chip("submitted"), returned: chip("returned"), passed: chip("approved-pass"),
                failed: chip("approved-fail") });
    document.querySelectorAll("[data-cat-done]").forEach((small) => {
      const members = items.filter((d) => d.dataset.cat === small.dataset.catDone);
      small.textContent = fmt(_("已完成 %(done)s/%(total)s"), { done: done(members), total: members.length });
    });
  };
  const newerCounts = (counts) => {
    if (WHOLE || !counts || (counts.at || 0) < countsAt) return;
    countsAt = counts.at || countsAt;
    setCounts(counts);
  };
  const applyState = (form, state) => {
    const details = form._details;
    setRevision(form, state.revision);
    details.className = `item s-${state.status}`;
    details.dataset.chip = state.chip;
    const chip = details.querySelector("[data-chip]");
    chip.className = `chip c-${state.chip}`;
    chip.textContent = state.chip_label;
    let reason = details.querySelector("summary .reason");
    if (state.status === "returned" && state.return_reason) {
      if (!reason) details.querySelector("summary").appendChild((reason = el("span", "reason")));
      reason.replaceChildren(el("b", "", _("退回理由：")), state.return_reason);
    } else if (reason) {
      reason.remove();  // resubmitted: the verifier's reason is answered
    }
    form.querySelector(".fs").disabled = state.locked || !EDIT;
    const tpl = document.getElementById("wd-tpl"), acts = form.querySelector(".acts");
    if (state.status === "submitted" && tpl && acts && !acts.querySelector(".wd")) {  // 撤回修改, now it applies
      const wd = tpl.content.firstElementChild.cloneNode(true);
      wd.querySelector("button").setAttribute("formaction", `${form.action}withdraw/`);
      acts.appendChild(wd);
    }
    const lock = form.querySelector("[data-lock]");
    if (lock) lock.textContent = state.lock_note || "";
    renderPhotos(form, state.photos);
    renderEval(form, state.evaluation, false);
    recount();
  };
  const notice = (form, text, isError) => {
    const box = form.querySelector("[data-saved]");
    if (!box) return;
    box.className = `saved${isError ? " error" : text ? " ok" : ""}`;
    box.textContent = text;
  };
  const savedNow = (form) => notice(form, fmt(_("已保存 %(time)s"), { time: Z.hhmm(Date.now(), true) }));

  // ---------- answers ----------
  const queueSave = (form) => {
    clearTimeout(timers[form._n]);
    delete timers[form._n];
    const payload = collect(form), text = JSON.stringify(payload);
    if (text !== form._saved && Z.offline()) notice(form, fmt(_("已存入本机 %(time)s，联网后自动同步"), { time: Z.hhmm(Date.now(), true) }));
    return Z.queueAnswer({ code: CODE, n: form._n, url: `${form.action}save/`, payload, revision: form._rev,
                           unchanged: text === form._saved });
  };
  const schedule = (form) => {
    clearTimeout(timers[form._n]);
    timers[form._n] = setTimeout(() => queueSave(form), 900);
  };
  const formOf = (entry) => (entry && entry.code === CODE ? forms[entry.n] : null);
  Z.on("answer-saved", ({ entry, data, follow }) => {
    const form = formOf(entry);
    if (!form) return;
    if (!follow && !timers[form._n]) {
      form._saved = JSON.stringify(entry.payload);
      applyState(form, data.item);  // nothing newer typed: the server's verdict replaces the live one
    } else {
      setRevision(form, data.item.revision);
    }
    if (form._conflict) form._conflict.hidden = true;
    savedNow(form);
  });
  Z.on("answer-conflict", ({ entry, data }) => { if (formOf(entry)) showConflict(formOf(entry), data); });
  Z.on("answer-invalid", ({ entry, data }) => {
    const details = Object.values(data.errors || {}).join("；");
    if (formOf(entry)) notice(formOf(entry), details ? `${data.message}：${details}` : data.message, true);
  });
  Z.on("answer-locked", ({ entry, data }) => { if (formOf(entry)) notice(formOf(entry), data.message, true); });
  Z.on("counts", ({ code, counts }) => { if (code === CODE) newerCounts(counts); });

  const showConflict = (form, data) => {
    let box = form._conflict;
    if (!box) {
      form.querySelector(".ev").before((box = form._conflict = el("div", "conf")));
      box.setAttribute("role", "alert");
    }
    const table = el("table"), head = el("tr");
    const theirs = fmt(_("服务器上的版本（%(who)s %(time)s）"), { who: data.theirs.updated_by || _("他人"),
                                                             time: data.theirs.updated_at });
    ["", _("您的版本"), theirs]
      .forEach((t) => head.appendChild(el(t ? "th" : "td", "", t)));
    table.appendChild(head);
    for (const row of data.rows) {
      const tr = el("tr", row.differs ? "diff" : "");
      tr.append(el("th", "", row.label), el("td", "", row.mine), el("td", "", row.theirs));
      table.appendChild(tr);
    }
    const acts = el("p", "acts");
    acts.append(button(_("保留我的版本"), "", () => resolveConflict(form, data, true)),
                button(_("使用服务器版本"), "sec", () => resolveConflict(form, data, false)));
    box.replaceChildren(el("b", "", data.message), table, acts);
    box.hidden = false;
    form._details.open = true;
  };
  const resolveConflict = (form, data, keepMine) => {
    form._conflict.hidden = true;
    setRevision(form, data.theirs.revision);
    if (!keepMine) {
      fill(form, data.theirs);
      form._saved = JSON.stringify(collect(form));
      liveEval(form);
      return Z.dropAnswer(CODE, form._n);
    }
    // Overwriting is the worker's explicit choice after seeing both versions: rebase on the server's revision.
    return Z.rebase(CODE, form._n, collect(form), data.theirs.revision, `${form.action}save/`);
  };

  // ---------- photos ----------
  const removeBox = (id) => {
    const label = el("label", "rm"), box = Object.assign(el("input"), { type: "checkbox", name: "remove", value: id || "" });
    label.append(box, _("移除"));
    return label;
  };
  const thumb = (photo) => {
    const li = el("li"), a = Object.assign(el("a"), { href: photo.display });
    li.dataset.id = photo.id;
    a.appendChild(Object.assign(el("img"), { src: photo.thumb, alt: _("照片") }));
    li.appendChild(a);
    if (photo.old) li.appendChild(el("i", "w", _("拍摄早于本轮")));
    if (photo.duplicate) li.appendChild(el("i", "w", _("与其他社区重复")));
    if (photo.original_pending) li.appendChild(el("i", "w op-o", _("高清原图待上传")));
    if (EDIT) li.appendChild(removeBox(photo.id));
    return li;
  };
  const renderPhotos = (form, photos) => {
    const list = form.querySelector(".th"), ids = new Set(photos.map((p) => String(p.id)));
    list.querySelectorAll("li[data-id]").forEach((li) => { if (!ids.has(li.dataset.id)) li.remove(); });
    photos.forEach((p) => {
      const li = list.querySelector(`li[data-id="${p.id}"]`);
      if (!li) list.insertBefore(thumb(p), list.querySelector("li.pend, li.perr"));
      else if (!p.original_pending) li.querySelectorAll(".op-o").forEach((i) => i.remove());
    });
  };
  // Choosing and preparing photos lives in photos.js, loaded when first needed.
  const photos = () => script(app.dataset.photos, "ZHSQPhotos");
  Z.on("photo-done", ({ entry, data }) => { if (formOf(entry)) applyState(formOf(entry), data.item); });
  Z.on("photo-refused", ({ entry, data }) => {
    if (formOf(entry)) notice(formOf(entry), `${entry.name}：${data.message}`, true);
  });
  Z.on("original-done", ({ entry, data }) => { if (formOf(entry) && data.item) applyState(formOf(entry), data.item); });
  Z.on("original-refused", ({ entry, data }) => {
    if (formOf(entry)) notice(formOf(entry), `${entry.name}：${data.message}`, true);
  });
  const removePhoto = (form, li) => {
    if (li.dataset.client) {
      li.remove();
      return Z.del("photos", li.dataset.client).then(() => { liveEval(form); Z.status(); });
    }
    const box = li.querySelector("input[name=remove]");
    const keep = (message) => { box.checked = false; li.classList.remove("rm-gone"); notice(form, message, true); };
    if (Z.offline()) return keep(_("离线时不能移除已上传的照片，请联网后再试"));
    return Z.post(`${form.action}photos/${li.dataset.id}/remove/`, new FormData()).then(Z.settle).then((data) => {
      if (!data.ok) return keep(data.message);
      return applyState(form, data.item);
    }, () => keep(_("网络不通，照片未移除，请稍后再试")));
  };

  // ---------- submit, withdraw, submit all ----------
  const flush = () => {
    Object.values(forms).forEach((f) => { if (timers[f._n]) queueSave(f); });
    return Z.sync();
  };
  const act = (form, path, before) => before.then(() => Z.post(`${form.action}${path}/`, new FormData()))
    .then(Z.settle).then((data) => {
      if (data.ok) applyState(form, data.item);
      notice(form, data.message, !data.ok);
    }, (err) => notice(form, err.message === "blocked" ? _("登录已失效，请重新登录") : _("网络不通，暂时不能提交，请稍后再试"), true));
  const submitItem = (form) => queueSave(form).then(flush).then(() => Z.get("answers", keyOf(form._n))).then((left) => {
    if (left) return notice(form, left.conflict ? _("请先处理版本冲突再提交") : _("还有未同步的修改，联网同步后再提交"), true);
    return act(form, "submit", Promise.resolve());
  });
  const withdrawItem = (form) => {
    const box = form.querySelector("details.wd");
    return act(form, "withdraw", Promise.resolve()).then(() => { if (box) box.open = false; });
  };
  const allForm = document.getElementById("submit-all"), allResult = document.getElementById("all-result");
  const showAll = (data) => {
    const list = el("ul");
    (data.skipped || []).forEach((s) => list.appendChild(el("li", "", fmt(_("第%(n)s项：%(reason)s"), { n: s.number, reason: s.reason }))));
    const sent = data.submitted && data.submitted.length
      ? fmt(ngettext("已提交 %(count)s 项：第%(numbers)s项", "已提交 %(count)s 项：第%(numbers)s项", data.submitted.length),
            { count: data.submitted.length, numbers: data.submitted.join(_("、")) })
      : _("没有可以提交的项");
    allResult.replaceChildren(el("p", data.ok ? "" : "error", data.ok ? sent : data.message));
    if (data.skipped && data.skipped.length) allResult.append(el("p", "", _("未提交：")), list);
    allResult.hidden = false;
  };
  if (allForm) {
    allForm.addEventListener("submit", (e) => {
      e.preventDefault();
      flush().then(() => Z.all("answers")).then((left) => {
        if (left.some((a) => a.code === CODE)) return showAll({ ok: false, message: _("还有未同步的修改，联网同步后再提交") });
        return Z.post(allForm.action, new FormData()).then(Z.settle).then((data) => {
          (data.items || []).forEach((state) => { if (forms[state.number]) applyState(forms[state.number], state); });
          (data.items || []).forEach(Z.remember);
          showAll(data);
        }, () => showAll({ ok: false, message: _("网络不通，暂时不能提交，请稍后再试") }));
      });
    });
  }

  window.ZHSQForms = { el, button, script, keyOf, formOf, liveEval, notice, removeBox, removePhoto, CODE };  // photos.js

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
        const files = Array.from(e.target.files);
        e.target.value = "";  // choosing the same picture again must fire again
        photos().then((P) => P && P.add(form, files));
      } else if (e.target.name === "remove") {
        // 移除 asks first and can be undone (photos.js, loaded when first needed).
        if (e.target.checked) photos().then((P) => P && P.askRemove(form, e.target.closest("li")));
      } else {
        liveEval(form);
        queueSave(form);
      }
    });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const what = e.submitter && e.submitter.value;
      if (what === "submit") submitItem(form);
      else if (what === "withdraw") withdrawItem(form);
      else {
        const same = JSON.stringify(collect(form)) === form._saved;  // nothing to send: it is saved already
        queueSave(form).then(() => { if (same && !Z.offline()) savedNow(form); });
      }
    });
  });

  // Put back what this phone knows beyond the page (it may come from the offline cache): answers saved since
  // it was rendered, edits and photos still queued (closed tab, flat battery, no signal); then send them.
  Z.ready.then(() => Promise.all([Z.all("saved"), Z.all("answers"), Z.all("photos"), Z.meta(`counts:${CODE}`)]))
    .then(([saved, answers, queued, counts]) => {
      for (const record of saved.filter((r) => r.code === CODE && forms[r.n])) {
        const form = forms[record.n];
        if (record.at <= PAGE_AT) { Z.del("saved", record.key); continue; }
        fill(form, record.state);
        applyState(form, record.state);
        form._saved = JSON.stringify(collect(form));
      }
      for (const entry of answers.filter(formOf)) {
        const form = formOf(entry);
        fill(form, entry.next || entry.payload);
        liveEval(form);
        if (entry.conflict) showConflict(form, entry.conflict);
      }
      if (queued.some(formOf)) photos().then((P) => P && P.restore(queued.filter(formOf)));
      newerCounts(counts);
      recount();
    });
})();
