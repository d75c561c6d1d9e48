/*
 * PhotoPrep: prepare an evidence photo on the phone so that weak networks carry a small display copy,
 * while the original's facts (hash, capture time, GPS) are read on the device. No dependencies, no build,
 * ES2017 (iOS Safari 12 and old Android Chrome); it defines one global, window.PhotoPrep.
 *
 *   PhotoPrep.prepare(file, {maxSide}) -> Promise<{copy, facts, refused, reason}>
 *     file     a File/Blob, e.g. from <input type=file accept="image/*" capture>.
 *     maxSide  longest side of the copy, clamped to 1600..2048 (default 1600); smaller photos are not enlarged.
 *     copy     upright, metadata-free JPEG Blob (quality 0.82), or null.
 *     facts    about the ORIGINAL: {sha256 (hex), size (bytes), name, type (MIME from its content),
 *              width, height (pixels of the upright picture), taken_at ("2024-05-01T09:30:00+08:00"; +08:00
 *              when the photo records no offset, as the server assumes), gps_lat, gps_lon ("31.230416",
 *              6 decimals, null when missing or exactly 0,0), orientation (EXIF 1-8)}; unknown values are null.
 *              EXIF is read from JPEG, PNG and WebP; a HEIC gives only sha256, size, name and type.
 *     refused  plain-Chinese message for the worker when the file must not be uploaded (not a picture,
 *              cut off, empty, unreadable, too many pixels); then copy and facts.sha256 are null.
 *     reason   when copy is null but the file is acceptable (e.g. Chrome cannot decode HEIC): why, in
 *              Chinese; the caller then uploads the original as it is.
 *   PhotoPrep.sha256(blob) -> Promise<hex string>   (WebCrypto in secure contexts, else bundled JS)
 *   PhotoPrep.readExif(arrayBuffer) -> {orientation, taken_at, gps_lat, gps_lon, width, height}
 *   PhotoPrep.estimateStorage() -> Promise<{usage, quota} | null>   (navigator.storage.estimate())
 *
 * The messages, pixel limit and EXIF rules follow checklists/photos.py, which checks the upload again.
 */
(function (global) {
  'use strict';

  const MIN_SIDE = 1600, MAX_SIDE = 2048, QUALITY = 0.82, MAX_PIXELS = 50000000;
  // The phone's words through the JavaScript catalog where the page loaded it (the source text otherwise).
  const _ = global.gettext || ((text) => text);
  const MSG = {
    empty: _('文件是空的，请重新选择照片'),
    unreadable: _('无法读取这个文件，请重新选择照片'),
    not_image: _('文件不是有效的图片（支持 JPEG、PNG、WebP、HEIC）'),
    unsupported: _('不支持这种图片格式，请上传 JPEG、PNG、WebP 或 HEIC 照片'),
    truncated: _('图片文件不完整，可能上传中断，请重新拍摄或上传'),
    too_many_pixels: _('图片像素过大（超过5000万像素）'),
    no_decode: _('这个浏览器无法压缩这种图片，将直接上传原图'),
    failed: _('压缩图片时出错，将直接上传原图'),
  };
  const HEIC_BRANDS = ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx'];
  const HEIF_BRANDS = HEIC_BRANDS.concat(['mif1', 'msf1']);

  function ascii(b, start, end) {
    return String.fromCharCode.apply(null, b.subarray(start, end));
  }

  function readBuffer(blob) {
    // Blob.arrayBuffer() only arrived in Safari 14.
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => reject(reader.error);
      reader.readAsArrayBuffer(blob);
    });
  }

  // Return the MIME type the content (not the name) says, 'unsupported' for other pictures, or null.
  function sniff(b) {
    if (b[0] === 0xFF && b[1] === 0xD8 && b[2] === 0xFF) return 'image/jpeg';
    if (ascii(b, 0, 8) === '\x89PNG\r\n\x1a\n') return 'image/png';
    if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'image/webp';
    if (ascii(b, 4, 8) === 'ftyp') {
      const brand = ascii(b, 8, 12);
      return HEIC_BRANDS.includes(brand) ? 'image/heic' : HEIF_BRANDS.includes(brand) ? 'image/heif' : 'unsupported';
    }
    return /^(GIF8|II\*\0|MM\0\*)/.test(ascii(b, 0, 4)) ? 'unsupported' : null;
  }

  // Walk the file's structure: {complete, width, height, exif: DataView of the TIFF data or null}.
  // Checking that the structure ends where it should catches a cut-off upload, which browsers would
  // otherwise decode happily as a grey-bottomed picture.
  function inspect(b, mime) {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const out = {complete: false, width: null, height: null, exif: null};
    const note = (kind, at, len) => {
      if (!out.exif && /^(APP1|eXIf|EXIF)$/.test(kind) && at + len <= b.length) {
        out.exif = new DataView(b.buffer, b.byteOffset + at, len);
      }
    };
    const size = (width, height) => { if (out.width === null) { out.width = width; out.height = height; } };
    const walk = {'image/jpeg': walkJpeg, 'image/png': walkPng, 'image/webp': walkWebp}[mime] || walkHeif;
    try {
      out.complete = walk(b, v, note, size);
    } catch (e) {
      out.complete = false;  // a length pointing past the end: cut off
    }
    return out;
  }

  function walkPng(b, v, note, size) {
    for (let i = 8, len; i + 12 <= b.length; i += 12 + len) {
      len = v.getUint32(i);
      const kind = ascii(b, i + 4, i + 8);
      if (kind === 'IHDR') size(v.getUint32(i + 8), v.getUint32(i + 12));
      if (kind === 'IEND') return true;
      note(kind, i + 8, len);
    }
    return false;
  }

  function walkWebp(b, v, note, size) {
    const u32 = (at) => v.getUint32(at, true);  // RIFF is little-endian
    for (let i = 12, len; i + 8 <= b.length; i += 8 + len + (len & 1)) {
      len = u32(i + 4);
      const kind = ascii(b, i, i + 4), at = i + 8;
      if (kind === 'VP8X') size(1 + (u32(at + 4) & 0xFFFFFF), 1 + (u32(at + 6) >>> 8));
      if (kind === 'VP8 ') size(u32(at + 6) & 0x3FFF, u32(at + 8) & 0x3FFF);
      if (kind === 'VP8L') size(1 + (u32(at + 1) & 0x3FFF), 1 + (u32(at + 1) >>> 14 & 0x3FFF));
      note(kind, at, len);
    }
    return 8 + u32(4) <= b.length;
  }

  // HEIF: the top-level boxes (ftyp, meta, mdat...) must fit in the file.
  function walkHeif(b, v) {
    let i = 0;
    while (i + 8 <= b.length) {
      const size = v.getUint32(i) === 1 ? v.getUint32(i + 8) * 4294967296 + v.getUint32(i + 12)
        : v.getUint32(i) || b.length - i;
      if (size < 8) return false;
      i += size;
    }
    return i <= b.length;
  }

  // Walk JPEG segments, noting the frame size and the first Exif APP1, then skim the entropy-coded data
  // (where 0xFF is always followed by 0x00 or a restart marker) for the end-of-image marker.
  function walkJpeg(b, v, note, size) {
    let i = 2;
    while (i + 1 < b.length) {
      if (b[i] !== 0xFF) return false;
      const m = b[i + 1];
      if (m === 0xD9) return true;
      if (m === 0xFF || m === 0x01 || (m >= 0xD0 && m <= 0xD7)) { i += m === 0xFF ? 1 : 2; continue; }
      const len = v.getUint16(i + 2);
      const frame = m >= 0xC0 && m <= 0xCF && m !== 0xC4 && m !== 0xC8 && m !== 0xCC;  // SOFn, not DHT/JPG/DAC
      if (frame) size(v.getUint16(i + 7), v.getUint16(i + 5));
      if (m === 0xE1 && ascii(b, i + 4, i + 10) === 'Exif\0\0') note('APP1', i + 10, len - 8);
      i += 2 + len;
      while (m === 0xDA) {
        i = b.indexOf(0xFF, i);
        if (i < 0 || i + 1 >= b.length) return false;
        const n = b[i + 1];
        if (n === 0 || (n >= 0xD0 && n <= 0xD7)) i += 2;
        else if (n === 0xFF) i += 1;
        else break;
      }
    }
    return false;
  }

  // Read an IFD into {tag: value}: numbers, stripped strings, or arrays of [numerator, denominator].
  // Each broken entry is skipped alone, because phone and editor EXIF can be arbitrarily damaged.
  function ifd(d, off, le) {
    const tags = {};
    if (typeof off !== 'number') return tags;
    try {
      for (let k = 0, count = d.getUint16(off, le); k < count; k++) {
        try {
          const e = off + 2 + 12 * k, type = d.getUint16(e + 2, le), n = d.getUint32(e + 4, le);
          const at = n * ({2: 1, 3: 2, 4: 4, 5: 8}[type] || 0) > 4 ? d.getUint32(e + 8, le) : e + 8;
          const word = (j) => d.getUint32(at + 4 * j, le);
          let value = null;
          if (type === 2) {
            value = '';
            for (let j = 0; j < Math.min(n, 64); j++) value += String.fromCharCode(d.getUint8(at + j));
            value = value.replace(/^[\0\s]+|[\0\s]+$/g, '');
          } else if (type === 3) value = d.getUint16(at, le);
          else if (type === 4) value = word(0);
          else if (type === 5 && n === 3) value = [[word(0), word(1)], [word(2), word(3)], [word(4), word(5)]];
          tags[d.getUint16(e, le)] = value;
        } catch (err) { /* skip this entry */ }
      }
    } catch (err) { /* an IFD pointer past the end */ }
    return tags;
  }

  function isoTime(stamp, offset) {
    const m = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(String(stamp));
    if (!m) return null;
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
    const day = new Date(Date.UTC(y, mo - 1, d));
    if (y < 1 || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
    const z = /^([+-])([01]\d|2[0-3]):?([0-5]\d)$/.exec(String(offset));
    const zone = z ? (z[2] + z[3] === '0000' ? '+' : z[1]) + z[2] + ':' + z[3] : '+08:00';
    return m.slice(1, 4).join('-') + 'T' + m.slice(4, 7).join(':') + zone;
  }

  // Degrees/minutes/seconds + hemisphere -> signed microdegrees, or null.
  function coordinate(parts, ref, hemispheres, limit) {
    const h = typeof ref === 'string' ? ref.charAt(0).toUpperCase() : '';
    if (!h || hemispheres.indexOf(h) < 0 || !Array.isArray(parts)) return null;
    const [d, m, s] = parts.map((p) => p[0] / p[1]);
    if (![d, m, s].every(isFinite) || m >= 60 || s >= 60 || d + m / 60 + s / 3600 > limit) return null;
    // Round half up like the server's Decimal; the nudge keeps float error from turning an exact .5 down.
    const micro = Math.floor((d + m / 60 + s / 3600) * 1e6 + 0.5 + 1e-6);
    return h === hemispheres[1] ? -micro : micro;
  }

  function sixDecimals(micro) {
    const a = Math.abs(micro);
    return (micro < 0 ? '-' : '') + Math.floor(a / 1e6) + '.' + String(a % 1e6).padStart(6, '0');
  }

  // The EXIF facts of inspect()'s result; width and height are those of the upright picture.
  function exifFacts(info) {
    const out = {orientation: null, taken_at: null, gps_lat: null, gps_lon: null, width: null, height: null};
    let d = info.exif;
    try {
      if (d.getUint32(0) === 0x45786966) d = new DataView(d.buffer, d.byteOffset + 6, d.byteLength - 6);  // "Exif"
      const le = d.getUint16(0) === 0x4949;
      if (d.getUint16(2, le) !== 42) throw new Error('not TIFF');
      const ifd0 = ifd(d, d.getUint32(4, le), le), sub = ifd(d, ifd0[0x8769], le), gps = ifd(d, ifd0[0x8825], le);
      if (ifd0[0x112] >= 1 && ifd0[0x112] <= 8) out.orientation = ifd0[0x112];
      out.taken_at = isoTime(sub[0x9003], sub[0x9011]) || isoTime(ifd0[0x132], sub[0x9010]);
      const lat = coordinate(gps[2], gps[1], 'NS', 90), lon = coordinate(gps[4], gps[3], 'EW', 180);
      // Exactly (0, 0) is what some phones write when they had no fix.
      if (lat !== null && lon !== null && (lat || lon)) {
        out.gps_lat = sixDecimals(lat);
        out.gps_lon = sixDecimals(lon);
      }
    } catch (e) { /* no readable EXIF: those facts stay null */ }
    const turned = out.orientation >= 5;
    out.width = turned ? info.height : info.width;
    out.height = turned ? info.width : info.height;
    return out;
  }

  function readExif(arrayBuffer) {
    const b = new Uint8Array(arrayBuffer);
    return exifFacts(inspect(b, sniff(b)));
  }

  const K = new Int32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ]);

  function compress(H, W, b, o) {
    for (let t = 0; t < 16; t++, o += 4) W[t] = b[o] << 24 | b[o + 1] << 16 | b[o + 2] << 8 | b[o + 3];
    for (let t = 16; t < 64; t++) {
      const x = W[t - 15], y = W[t - 2];
      const s0 = (x >>> 7 | x << 25) ^ (x >>> 18 | x << 14) ^ x >>> 3;
      const s1 = (y >>> 17 | y << 15) ^ (y >>> 19 | y << 13) ^ y >>> 10;
      W[t] = W[t - 16] + s0 + W[t - 7] + s1 | 0;
    }
    let [a, b1, c, d, e, f, g, h] = H;
    for (let t = 0; t < 64; t++) {
      const S1 = (e >>> 6 | e << 26) ^ (e >>> 11 | e << 21) ^ (e >>> 25 | e << 7);
      const S0 = (a >>> 2 | a << 30) ^ (a >>> 13 | a << 19) ^ (a >>> 22 | a << 10);
      const t1 = h + S1 + (e & f ^ ~e & g) + K[t] + W[t] | 0, t2 = S0 + (a & b1 ^ a & c ^ b1 & c) | 0;
      h = g; g = f; f = e; e = d + t1 | 0; d = c; c = b1; b1 = a; a = t1 + t2 | 0;
    }
    [a, b1, c, d, e, f, g, h].forEach((value, i) => { H[i] = H[i] + value | 0; });
  }

  // Pure-JS SHA-256 for insecure contexts (plain http on a LAN), where crypto.subtle does not exist.
  function sha256js(bytes) {
    const H = new Int32Array([
      0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
    const W = new Int32Array(64), n = bytes.length, full = n - n % 64;
    for (let o = 0; o < full; o += 64) compress(H, W, bytes, o);
    // Pad only the tail, so a large photo is never copied.
    const tail = new Uint8Array(n % 64 < 56 ? 64 : 128), tv = new DataView(tail.buffer);
    tail.set(bytes.subarray(full));
    tail[n % 64] = 0x80;
    tv.setUint32(tail.length - 8, Math.floor(n / 0x20000000));
    tv.setUint32(tail.length - 4, (n * 8) >>> 0);
    for (let o = 0; o < tail.length; o += 64) compress(H, W, tail, o);
    return Array.from(H, (w) => (w >>> 0).toString(16).padStart(8, '0')).join('');
  }

  async function digest(bytes) {
    const subtle = global.crypto && global.crypto.subtle;
    if (subtle) {
      try {
        const hash = new Uint8Array(await subtle.digest('SHA-256', bytes));
        return Array.from(hash, (x) => x.toString(16).padStart(2, '0')).join('');
      } catch (e) { /* fall through to the JS version */ }
    }
    return sha256js(bytes);
  }

  function loadImage(blob) {
    return new Promise((resolve, reject) => {
      const url = URL.createObjectURL(blob), img = new Image();
      img.onload = () => { URL.revokeObjectURL(url); resolve(img); };
      img.onerror = () => { URL.revokeObjectURL(url); reject(new Error('image decode failed')); };
      img.src = url;
    });
  }

  // A 16x8 JPEG (left half black, right half white) tagged orientation 6: a decoder that applies EXIF
  // orientation returns it 8x16, black on top. Asking each decoder is the only reliable way to avoid
  // rotating twice: Chrome 81+ and Safari 13.4+ started applying it to <img>, older ones did not.
  const PROBE = '/9j/4AAQSkZJRgABAQAAAQABAAD/4QAiRXhpZgAATU0AKgAAAAgAAQESAAMAAAABAAYAAAAAAAD/2wBDAAIBAQEBAQIBAQECAgIC' +
    'AgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/wAALCAAIABABAREA/8QAFAABAAAAAAAAAAAAAAAA' +
    'AAAACv/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AP+f4/9k=';
  const DECODERS = [
    (blob, width) => createImageBitmap(blob, Object.assign({imageOrientation: 'from-image'},
      width && {resizeWidth: width, resizeQuality: 'high'})),
    loadImage,
  ];
  let usable = null;

  function decoders() {
    usable = usable || Promise.all(DECODERS.map(async (decode, i) => {
      if (i === 0 && typeof global.createImageBitmap !== 'function') return null;
      try {
        const src = await decode(new Blob([Uint8Array.from(atob(PROBE), (ch) => ch.charCodeAt(0))]));
        if (src.width === 16 && src.height === 8) return {decode, upright: false};
        const ctx = canvas(8, 16).getContext('2d');
        ctx.drawImage(src, 0, 0);
        const px = ctx.getImageData(4, 4, 1, 9).data;  // pixels (4, 4) and (4, 12)
        return src.width === 8 && px[0] < 64 && px[32] > 192 ? {decode, upright: true} : null;
      } catch (e) {
        return null;  // e.g. an old createImageBitmap that rejects the imageOrientation option
      }
    })).then((list) => list.filter(Boolean));
    return usable;
  }

  const canvas = (width, height) => Object.assign(document.createElement('canvas'), {width, height});

  // Canvas transforms that draw raw pixels upright; e and f are fractions of the canvas width and height.
  const TRANSFORMS = {2: [-1, 0, 0, 1, 1, 0], 3: [-1, 0, 0, -1, 1, 1], 4: [1, 0, 0, -1, 0, 1], 5: [0, 1, 1, 0, 0, 0],
    6: [0, 1, -1, 0, 1, 0], 7: [0, -1, -1, 0, 1, 1], 8: [0, -1, 1, 0, 0, 1]};

  function toJpeg(src, orientation, maxSide) {
    const sw = src.naturalWidth || src.width, sh = src.naturalHeight || src.height;
    const scale = Math.min(1, maxSide / Math.max(sw, sh));
    const w = Math.max(1, Math.round(sw * scale)), h = Math.max(1, Math.round(sh * scale));
    const turned = orientation >= 5, c = canvas(turned ? h : w, turned ? w : h), ctx = c.getContext('2d');
    // JPEG has no alpha; lay transparent pictures over white as the server does, not over black.
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, c.width, c.height);
    ctx.imageSmoothingQuality = 'high';
    const m = TRANSFORMS[orientation];
    if (m) ctx.setTransform(m[0], m[1], m[2], m[3], m[4] * c.width, m[5] * c.height);
    ctx.drawImage(src, 0, 0, w, h);
    return new Promise((resolve, reject) => c.toBlob((blob) => {
      c.width = c.height = 0;  // iOS counts canvas memory until garbage collection; free it for the next photo
      if (blob && blob.type === 'image/jpeg') resolve(blob);
      else reject(new Error('JPEG encoding failed'));
    }, 'image/jpeg', QUALITY));
  }

  async function render(file, facts, maxSide) {
    const o = facts.orientation || 1;
    for (const {decode, upright} of await decoders()) {
      // Ask for the copy's size at decode time: the browser may then skip full resolution (and never hands a
      // 12 MP bitmap to script); createImageBitmap keeps the aspect ratio when given only the width.
      const [w, h] = upright || o < 5 ? [facts.width, facts.height] : [facts.height, facts.width];
      const width = w && Math.max(w, h) > maxSide ? Math.round(w * maxSide / Math.max(w, h)) : 0;
      let src;
      try { src = await decode(file, width); } catch (e) { continue; }
      try {
        if (!facts.width) {
          const turn = !upright && o >= 5, sw = src.naturalWidth || src.width, sh = src.naturalHeight || src.height;
          facts.width = turn ? sh : sw;
          facts.height = turn ? sw : sh;
        }
        return await toJpeg(src, upright ? 1 : o, maxSide);
      } finally {
        if (src.close) src.close();
      }
    }
    return null;
  }

  async function prepare(file, options) {
    const maxSide = Math.min(MAX_SIDE, Math.max(MIN_SIDE, Math.round(Number(options && options.maxSide)) || MIN_SIDE));
    const facts = {sha256: null, size: file.size, name: file.name || null, type: file.type || null, width: null,
      height: null, taken_at: null, gps_lat: null, gps_lon: null, orientation: null};
    const refuse = (code) => ({copy: null, facts, refused: MSG[code], reason: null});
    if (!file.size) return refuse('empty');
    let bytes;
    try { bytes = new Uint8Array(await readBuffer(file)); } catch (e) { return refuse('unreadable'); }
    const mime = sniff(bytes);
    if (!mime || mime === 'unsupported') return refuse(mime ? 'unsupported' : 'not_image');
    const info = inspect(bytes, mime);
    if (!info.complete) return refuse('truncated');
    Object.assign(facts, exifFacts(info), {type: mime});
    if (facts.width * facts.height > MAX_PIXELS) return refuse('too_many_pixels');
    try {
      facts.sha256 = await digest(bytes);
      bytes = info.exif = null;  // let the original's bytes go before the memory-hungry decode
      const copy = await render(file, facts, maxSide);
      return {copy, facts, refused: null, reason: copy ? null : MSG.no_decode};
    } catch (e) {
      return {copy: null, facts, refused: null, reason: MSG.failed};
    }
  }

  async function sha256(blob) {
    return digest(new Uint8Array(await readBuffer(blob)));
  }

  async function estimateStorage() {
    const storage = global.navigator.storage;
    try {
      return storage && storage.estimate ? await storage.estimate() : null;
    } catch (e) {
      return null;
    }
  }

  global.PhotoPrep = {prepare, sha256, readExif, estimateStorage};
})(window);
