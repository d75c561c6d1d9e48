/* Choosing photos on the phone (loaded by app.js when first needed): photoprep.js makes the display copy and
   reads the original's facts on the device; the copy and the facts are queued first (offline.js sends them,
   the original follows later). A file refused by the phone, or by the server, shows as refused with the
   reason; so does a photo the phone has no room to keep. 移除 asks, then waits with 撤销 before removing.
   window.ZHSQPhotos = {add, restore, askRemove}. */
(() => {
  "use strict";
  const Z = window.ZHSQ, F = window.ZHSQForms;
  if (!Z || !F) return;
  const { el, button, formOf, liveEval, removeBox } = F, { _, fmt } = Z;
  const RESERVE = 5 * 1024 * 1024;  // room left on the phone after a photo is stored

  const tile = (form, name) => {
    const li = el("li", "pend");
    li.append(el("span", "ph-box", _("处理中…")), el("i", "w", name || _("照片")));
    form.querySelector(".th").appendChild(li);
    return li;
  };
  const refuse = (li, message) => {
    li.className = "perr";
    li.removeAttribute("data-client");
    li.replaceChildren(el("span", "ph-box x", _("未上传")), el("span", "why", message),
                       button(_("知道了"), "link", () => li.remove()));
  };
  const ready = (li, entry) => {
    li.dataset.client = entry.client_id;
    const preview = entry.facts ? el("img") : el("span", "ph-box", _("照片"));
    if (entry.facts) {  // a JPEG made on this phone: safe to preview (a HEIC Chrome cannot show is not)
      preview.src = URL.createObjectURL(entry.blob);
      preview.alt = entry.name || _("照片");
    }
    const bar = el("progress", "bar-p");
    bar.max = 1;
    bar.value = 0;
    li.replaceChildren(preview, el("i", "w", _("待上传")), bar, removeBox(""));
  };
  const photoPrep = () => F.script(document.body.dataset.photoprep, "PhotoPrep");  // null: the original goes whole
  const roomFor = (P, bytes) => (P ? P.estimateStorage() : Promise.resolve(null)).then((est) => {
    if (!est || !est.quota) return "";
    const free = est.quota - (est.usage || 0);
    if (free > bytes + RESERVE) return "";
    const mb = Math.max(0, Math.floor(free / 1048576));
    return fmt(_("手机存储空间不足（剩余约 %(mb)s MB），这张照片无法保存在本机。请先联网同步，或清理手机空间后再拍。"), { mb });
  });
  const addFile = (form, file, P) => {
    const li = tile(form, file.name);
    return (P ? P.prepare(file) : Promise.resolve({ copy: null, facts: null, refused: null })).then((done) => {
      if (done.refused) return refuse(li, done.refused);
      const entry = { client_id: Z.uuid(), key: F.keyOf(form._n), code: F.CODE, n: form._n,
                      url: `${form.action}photos/`, name: file.name, queued_at: Date.now(), blob: file };
      if (done.copy) {
        Object.assign(entry, { blob: done.copy, facts: done.facts });
        if (Z.ORIGINALS !== "never") entry.original = file;
      }
      return roomFor(P, entry.blob.size + (entry.original ? file.size : 0)).then((short) => {
        if (short) return refuse(li, short);
        ready(li, entry);
        liveEval(form);
        return Z.queuePhoto(entry);
      });
    });
  };
  const add = (form, files) => photoPrep()
    .then((P) => files.reduce((chain, file) => chain.then(() => addFile(form, file, P)), Promise.resolve()));
  // Photos still queued from an earlier visit (closed tab, no signal) are shown waiting.
  const restore = (entries) => entries.forEach((entry) => {
    const form = formOf(entry);
    ready(tile(form, entry.name), entry);
    liveEval(form);
  });

  const tileOf = (entry) => {
    const form = formOf(entry);
    return form && form.querySelector(`[data-client="${entry.client_id}"]`);
  };
  Z.on("photo-progress", ({ entry, share }) => {
    const li = tileOf(entry), bar = li && li.querySelector("progress");
    if (bar) bar.value = share;
  });
  Z.on("photo-done", ({ entry }) => {  // app.js has put the server's thumbnail in place already
    const li = tileOf(entry);
    if (li) li.remove();
  });
  Z.on("photo-refused", ({ entry, data }) => {
    const li = tileOf(entry);
    if (li) refuse(li, data.message);
  });

  // 移除 asks first; once confirmed the photo is hidden with 撤销 for a few seconds before anything is deleted.
  const UNDO_MS = Number(window.ZHSQ_UNDO_MS) || 6000;
  const undoable = (form, li) => {
    const box = li.querySelector("input[name=remove]"), bar = el("span", "rm-undo");
    bar.setAttribute("role", "status");
    const timer = setTimeout(() => { bar.remove(); F.removePhoto(form, li); }, UNDO_MS);
    bar.append(el("span", "", _("照片将被移除")), button(_("撤销"), "link", () => {
      clearTimeout(timer);
      bar.remove();
      li.classList.remove("rm-gone");
      if (box) box.checked = false;
    }));
    li.classList.add("rm-gone");
    li.appendChild(bar);
  };
  const askRemove = (form, li) => {
    if (li.querySelector(".rm-ask, .rm-undo")) return;
    const box = li.querySelector("input[name=remove]"), ask = el("span", "rm-ask");
    ask.setAttribute("role", "group");
    ask.setAttribute("aria-label", _("移除这张照片？"));
    const close = () => { ask.remove(); li.classList.remove("rm-on"); };
    ask.append(el("span", "", _("移除这张照片？")),
               button(_("确认移除"), "warn", () => { close(); undoable(form, li); }),
               button(_("取消"), "sec", () => { close(); if (box) box.checked = false; }));
    li.classList.add("rm-on");
    li.appendChild(ask);
  };

  window.ZHSQPhotos = { add, restore, askRemove };
})();
