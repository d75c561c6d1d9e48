"""One language per screen: what a person reads on a page (visible text, screen-reader text, placeholders, button
values, image alternatives, labels of the admin's menus and the page title), and the rules that tell stray text.

In a Chinese (zh-hans) session, Latin text is stray unless it is
- a code or a figure: any token with a digit (SD-ZHSQ-2019, A4, 5G, 2FA, 1600px) or a single letter (N, X);
- a unit, a file format or an abbreviation Chinese documents write in Latin letters (TERMS below);
- an address (http://…, an e-mail) or a file name (evidence.jpg);
- a name from the data (usernames, people's names, e-mails, region and page titles, file titles: NAMES, read from
  the database at walk time), or "Wagtail", the admin software's own name shown in its editor-guide link;
- marked as another language (the language switcher's "English" carries lang="en"), machine text set in
  <code>, <kbd>, <samp> or <pre>, or what someone typed into a <textarea> (data, like a name).
In an English session, Chinese (Han) text is stray unless it is a name or wording from the data (NAMES again:
region titles, the standard's item names, people's reasons), which stays as it was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Visible text nodes and the attributes people read, on the page and in the admin sidebar's menu definition.
READ = """() => {
  const lang = (document.documentElement.lang || "").toLowerCase().slice(0, 2);
  const machine = "script,style,noscript,template,code,kbd,samp,pre,textarea";
  const foreign = (el) => {
    const marked = el.closest("[lang]");
    return marked && marked !== document.documentElement && !marked.lang.toLowerCase().startsWith(lang);
  };
  const seen = (el) => !el.closest(machine) && !foreign(el)
    && (!el.checkVisibility || el.checkVisibility({visibilityProperty: true}));
  const where = (el, what) => {
    const name = (e) => e.tagName.toLowerCase() + (e.id ? `#${e.id}` : "")
      + (e.classList[0] ? `.${e.classList[0]}` : "");
    return (el.parentElement ? `${name(el.parentElement)} > ` : "") + name(el) + (what ? ` [${what}]` : "");
  };
  const out = [[document.title, "title"]];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (node.data.trim() && el && seen(el)) out.push([node.data, where(el)]);
  }
  const attrs = "[placeholder],[aria-label],img[alt],input[type=submit][value],input[type=button][value]";
  for (const el of document.body.querySelectorAll(attrs)) {
    if (!seen(el)) continue;
    for (const name of ["placeholder", "aria-label", "alt"]) {
      if (el.getAttribute(name)) out.push([el.getAttribute(name), where(el, name)]);
    }
    if (["submit", "button"].includes(el.type) && el.tagName === "INPUT") out.push([el.value, where(el, "value")]);
  }
  const menu = document.getElementById("wagtail-sidebar-props");
  const label = /"label": ?"((?:[^"\\\\]|\\\\.)*)"/g;
  if (menu) for (const m of menu.textContent.matchAll(label)) out.push([JSON.parse(`"${m[1]}"`), "admin menu"]);
  return out.map(([t, w]) => [t.replace(/\\s+/g, " ").trim(), w]).filter(([t]) => t);
}"""

# Units, formats and abbreviations written in Latin letters in Chinese text (as the province's notice does).
TERMS = frozenset("""
    kWh kW W V A m m² m2 km km² cm mm kg t h min s ms px dpi MP KB MB GB TB bit kbit Mbit Gbit kbps Mbps Gbps
    CSV XLSX XLS BOM GBK UTF JSON JSONL PDF PNG JPEG JPG HEIC HEIF WebP SVG ZIP YAML ISO SHA-256 MD5 EXIF GPS QR
    TOTP OTP IP ID URL HTTP HTTPS API App APP Wi-Fi WiFi WLAN IoT NB-IoT AI LED CPU USB SIM SMS OK
    Wagtail
""".split())
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+\-/@:²³']*")
ADDRESS = re.compile(r"^(https?://|www\.)|@|^/")
FILE_NAME = re.compile(r"\.(jpe?g|png|heic|webp|svg|pdf|csv|xlsx?|jsonl?|zip|ya?ml|txt)$", re.I)
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@dataclass(frozen=True)
class Stray:
    """Text in the wrong language: the word(s) that gave it away, the text, and where it was (element or attribute)."""

    words: str
    text: str
    where: str = ""

    def __str__(self) -> str:
        return f"{self.words!r} in {self.text[:120]!r} ({self.where})"


def _allowed_latin(token: str, names: frozenset[str]) -> bool:
    bare = token.strip(".-/:+'")
    return (not bare or any(ch.isdigit() for ch in bare) or len(bare) == 1 or bare in TERMS
            or bare.upper() in TERMS or ADDRESS.search(bare) is not None or FILE_NAME.search(bare) is not None
            or bare in names or bare.lower() in names)


def stray_latin(texts: list[tuple[str, str]], names: frozenset[str]) -> list[Stray]:
    """Return the texts (text, where) of a Chinese screen holding Latin words that are not codes, units or names."""
    found = []
    for text, where in texts:
        words = [t for t in TOKEN.findall(text) if any("a" <= c.lower() <= "z" for c in t)]
        if bad := [w for w in words if not _allowed_latin(w, names)
                   and not all(_allowed_latin(part, names) for part in w.split("/"))]:
            found.append(Stray(" ".join(dict.fromkeys(bad)), text, where))
    return list(dict.fromkeys(found))


def stray_han(texts: list[tuple[str, str]], names: frozenset[str]) -> list[Stray]:
    """Return the texts (text, where) of an English screen holding Chinese that is not a name or data's wording."""
    longest_first = sorted((n for n in names if HAN.search(n)), key=len, reverse=True)
    found = []
    for text, where in texts:
        rest = text
        for name in longest_first:
            if name in rest:
                rest = rest.replace(name, " ")
        if bad := HAN.findall(rest):
            found.append(Stray(" ".join(dict.fromkeys(bad)), text, where))
    return list(dict.fromkeys(found))


def latin_name_tokens(values, wording=()) -> frozenset[str]:
    """Return what the data allows in either language: every whole value, every Latin word of a name, and the
    Latin words of the standards' wording that are not plain lowercase words (IPTV and Wi-Fi, not "in")."""
    names = set()
    for value, of_wording in [*((v, False) for v in values), *((w, True) for w in wording)]:
        if not value:
            continue
        names.add(str(value))
        words = (t.strip(".-/:+'") for t in TOKEN.findall(str(value)))
        names.update(w for w in words if not (of_wording and w.isascii() and w.islower()))
    return frozenset(names)
