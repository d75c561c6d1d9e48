/* Live evaluation of one item of the standard, mirroring standards/evaluation.py (and standards/marks.py): the
   same parsing, verdicts and messages, so what the worker sees while typing is what the server will
   decide (the server's verdict still wins after each save). Exact arithmetic only: BigInt fractions; a float
   never meets a threshold. `naFlags` is the standard's own (StandardVersion.na_flags, sent by the page): whether
   only options flagged `na: true` may be marked 本社区无此设施 (version 2 on) or any option may (version 1).
   The messages are the server's msgids, translated by the JavaScript catalog (/jsi18n/<language>/, loaded before
   this file) with the same English as the server's catalog; the Chinese source where no catalog is loaded.
   tests/browser/test_eval_parity.py runs this file against the Python engine case by case, on both versions and
   in both languages. */
((root) => {
  "use strict";
  // Looked up at each call: the catalog may load after this file.
  const _ = (text) => (root.gettext ? root.gettext(text) : text);
  const ngettext = (one, many, n) => (root.ngettext ? root.ngettext(one, many, n) : (n === 1 ? one : many));
  const fmt = (text, values) => text.replace(/%\((\w+)\)s/g, (m, key) => String(values[key]));
  const list = (names) => names.join(_("、"));
  const problem = (field, error) => fmt(_("%(field)s：%(error)s"), { field, error });
  const missing = (fields) => fmt(_("未填写：%(fields)s"), { fields });
  const gettext_noop = (text) => text;  // marks a text for the catalog, translated where it is used
  const NA_NOTE_REQUIRED = gettext_noop("请填写“本社区无此设施”的说明");
  const BLOCKED = gettext_noop("输入有误，无法判断");
  const REACHES = gettext_noop("%(label)s：%(shown)s 达到 %(limit)s");
  const BELOW = gettext_noop("%(label)s：%(shown)s 未达到 %(limit)s");
  const EXCEEDS = gettext_noop("%(label)s：%(shown)s 超过 %(limit)s");
  const NOT_ABOVE = gettext_noop("%(label)s：%(shown)s 未超过 %(limit)s");
  const MAX_DIGITS = 15;
  const TRUE_WORDS = ["true", "on", "1", "yes", "y", "是"];
  const FALSE_WORDS = ["false", "off", "0", "no", "n", "否"];
  // op -> [holds(comparison sign), message when it holds, message when it does not]
  const OPS = {
    ge: [(c) => c >= 0, REACHES, BELOW], gt: [(c) => c > 0, EXCEEDS, NOT_ABOVE], le: [(c) => c <= 0, NOT_ABOVE, EXCEEDS],
  };
  const OPERANDS = { ratio: ["numerator", "denominator"], reduction: ["baseline", "actual"], value: ["field"] };
  // Python's str.isspace() set, which str.strip() removes (JS trim() differs at the edges).
  const WS = "\\t\\n\\u000b\\u000c\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  const STRIP = new RegExp(`^[${WS}]+|[${WS}]+$`, "g");
  const DECIMAL = /^([+-]?)(?:(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?|\.(\d+)(?:e([+-]?\d+))?|(inf(?:inity)?)|(s?nan\d*))$/i;
  const ND = /\p{Nd}/u;
  // The exponent range CPython's decimal accepts when reading a string (MAX_EMAX, MIN_ETINY).
  const MAX_EMAX = 999999999999999999n;
  const MIN_ETINY = -1999999999999999997n;

  class InputError { constructor(message) { this.message = message; } }

  // ---- exact fractions over BigInt ----
  const gcd = (a, b) => {
    a = a < 0n ? -a : a;
    b = b < 0n ? -b : b;
    while (b) [a, b] = [b, a % b];
    return a;
  };
  const frac = (n, d = 1n) => {
    if (d < 0n) [n, d] = [-n, -d];
    const g = gcd(n, d) || 1n;
    return { n: n / g, d: d / g };
  };
  const isFrac = (x) => x !== null && typeof x === "object" && typeof x.n === "bigint";
  const sub = (a, b) => frac(a.n * b.d - b.n * a.d, a.d * b.d);
  const mul = (a, b) => frac(a.n * b.n, a.d * b.d);
  const div = (a, b) => frac(a.n * b.d, a.d * b.n);
  const cmp = (a, b) => { const x = a.n * b.d - b.n * a.d; return x > 0n ? 1 : x < 0n ? -1 : 0; };
  const HUNDRED = frac(100n);

  // ---- text, as Python sees it ----
  const pyStrip = (s) => s.replace(STRIP, "");
  const normalize = (s) => pyStrip(s.normalize("NFKC"));
  const pyStr = (raw) => {
    if (raw === true || raw === false) return raw ? "True" : "False";
    if (raw === null || raw === undefined) return "None";
    return isFrac(raw) ? plain(raw) : String(raw);
  };
  const isBlank = (raw) => raw === null || raw === undefined || (typeof raw === "string" && !pyStrip(raw));
  const has = (obj, key) => obj !== null && typeof obj === "object" && Object.prototype.hasOwnProperty.call(obj, key);
  const isMapping = (x) => x !== null && typeof x === "object" && !Array.isArray(x) && !isFrac(x);

  // Decimal(text) as CPython reads it: underscores dropped, any Unicode decimal digit, inf/nan words.
  const asciiDigits = (s) => Array.from(s, (ch) => {
    if ((ch >= "0" && ch <= "9") || !ND.test(ch)) return ch;
    const cp = ch.codePointAt(0);
    let start = cp;  // Unicode digits come in runs of ten starting at zero
    while (ND.test(String.fromCodePoint(start - 1))) start--;
    return String((cp - start) % 10);
  }).join("");
  const readDecimal = (text) => {
    const m = DECIMAL.exec(asciiDigits(text.replace(/_/g, "")));
    if (!m) return null;
    const negative = m[1] === "-";
    if (m[7] || m[8]) return { special: true, negative };
    const whole = m[2] ?? "", fraction = m[2] !== undefined ? (m[3] || "") : m[5];
    const exp = BigInt(m[4] || m[6] || "0") - BigInt(fraction.length);
    const coef = BigInt(whole + fraction || "0");
    const digits = coef === 0n ? 1 : coef.toString().length;
    if (exp + BigInt(digits) - 1n > MAX_EMAX || exp < MIN_ETINY) return null;
    return { special: false, negative, coef, exp, digits };
  };
  const decimalFrac = (d) => {
    if (d.coef === 0n) return frac(0n);
    const n = d.negative ? -d.coef : d.coef;
    return d.exp >= 0n ? frac(n * 10n ** d.exp) : frac(n, 10n ** -d.exp);
  };

  // ---- parsers (evaluation._PARSERS) ----
  const parseCount = (raw) => {
    const text = normalize(pyStr(raw));
    if (!/^[0-9]+$/.test(text)) throw new InputError(_("请输入非负整数"));
    const digits = text.replace(/^0+/, "") || "0";
    if (digits.length > MAX_DIGITS) throw new InputError(_("数值过大"));
    return BigInt(digits);
  };
  const parseDecimal = (raw) => {
    if (isFrac(raw)) return raw;  // already exact and checked
    const d = ["string", "number", "bigint"].includes(typeof raw) ? readDecimal(normalize(pyStr(raw))) : null;
    if (d === null || d.special) throw new InputError(_("请输入数字"));
    if (d.negative && d.coef !== 0n) throw new InputError(_("不能为负数"));
    if (d.coef !== 0n && d.exp + BigInt(d.digits) - 1n >= BigInt(MAX_DIGITS)) throw new InputError(_("数值过大"));
    if (d.coef !== 0n && d.exp < -2n && d.coef % 10n ** (-2n - d.exp) !== 0n) throw new InputError(_("最多保留两位小数"));
    const value = decimalFrac(d);
    return value.n < 0n ? frac(-value.n, value.d) : value;
  };
  const parseBool = (raw) => {
    let word = null;
    if (typeof raw === "string") word = normalize(raw).toLowerCase();
    else if (typeof raw === "boolean") word = String(raw);
    else if (typeof raw === "bigint" || Number.isInteger(raw)) word = String(raw);
    if (TRUE_WORDS.includes(word)) return true;
    if (FALSE_WORDS.includes(word)) return false;
    throw new InputError(_("请选择“是”或“否”"));
  };
  const optionLabels = (field) => new Map((field.options || []).map((o) => [o.key, o.label]));
  const parseChoices = (raw, field) => {
    const picked = typeof raw === "string" ? [raw] : raw;
    if (!Array.isArray(picked)) throw new InputError(_("格式有误，应为选项列表"));
    const options = optionLabels(field);
    const unknown = picked.filter((k) => typeof k !== "string" || !options.has(k)).map(pyStr);
    if (unknown.length) throw new InputError(fmt(_("未知选项：%(options)s"), { options: list(unknown) }));
    return [...options.keys()].filter((k) => picked.includes(k));
  };
  const parseText = (raw) => {
    if (typeof raw !== "string") throw new InputError(_("请输入文字"));
    return pyStrip(raw);
  };
  const PARSERS = { count: parseCount, decimal: parseDecimal, bool: parseBool, choices: parseChoices, text: parseText };

  const byKey = (fields) => new Map((fields || []).map((f) => [f.key, f]));
  const labelOf = (fields, key) => (fields.has(key) ? fields.get(key).label : key);

  const cleanValues = (item, raw) => {
    const cleaned = {}, issues = [];
    for (const field of item.fields || []) {
      if (!PARSERS[field.kind]) throw new Error(`unknown field kind ${field.kind}`);
      cleaned[field.key] = null;
      const value = has(raw, field.key) ? raw[field.key] : null;
      if (isBlank(value)) continue;
      try {
        cleaned[field.key] = PARSERS[field.kind](value, field);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        issues.push({ field: field.key, message: problem(field.label, e.message) });
      }
    }
    return [cleaned, issues];
  };

  // marks.option_na_allowed
  const optionNaAllowed = (field, option, naFlags) => field.kind === "choices" && (naFlags ? option.na === true : true);
  const cleanMarks = (field, marks, ticked, naFlags) => {
    const { key, label } = field;
    if (!isMapping(marks)) return [{}, [{ field: key, message: fmt(_("%(field)s：“本社区无此设施”格式有误"), { field: label }) }]];
    const options = optionLabels(field), cleaned = {}, issues = [];
    const allowed = new Set((field.options || []).filter((o) => optionNaAllowed(field, o, naFlags)).map((o) => o.key));
    for (const option of Object.keys(marks)) {
      const note = marks[option];
      const where = fmt(_("%(field)s（%(option)s）"), { field: label, option: options.has(option) ? options.get(option) : option });
      let message;
      if (!options.has(option)) message = fmt(_("%(field)s：未知选项：%(option)s"), { field: label, option });
      else if (!allowed.has(option)) message = fmt(_("%(where)s：该项须实际具备，不能标记为“本社区无此设施”"), { where });
      else if (typeof note !== "string" || !pyStrip(note)) message = problem(where, _(NA_NOTE_REQUIRED));
      else if (ticked.includes(option)) message = fmt(_("%(where)s：已勾选的选项不能同时标记为“本社区无此设施”"), { where });
      if (message) issues.push({ field: key, message });
      else cleaned[option] = pyStrip(note);
    }
    return [cleaned, issues];
  };

  const cleanNotApplicable = (item, raw, values, naFlags) => {
    const fields = byKey(item.fields), cleaned = {};
    let issues = [];
    for (const key of Object.keys(raw)) {
      const field = fields.get(key);
      if (!field || field.kind !== "choices") {
        const message = fmt(_("%(field)s：不能标记为“本社区无此设施”"), { field: labelOf(fields, key) });
        issues.push({ field: key, message });
        continue;
      }
      const [marks, problems] = cleanMarks(field, raw[key], values[key] || [], naFlags);
      cleaned[key] = marks;
      issues = issues.concat(problems);
    }
    return [cleaned, issues];
  };

  // ---- numbers shown in messages ----
  const roundHalfUp = (value, places) => {
    const units = (2n * (value.n < 0n ? -value.n : value.n) * 10n ** BigInt(places) + value.d) / (2n * value.d);
    return value.n < 0n && units ? -units : units;
  };
  const unitsText = (units, places) => {
    const digits = (units < 0n ? -units : units).toString().padStart(places + 1, "0");
    return `${units < 0n ? "-" : ""}${digits.slice(0, -places)}.${digits.slice(-places)}`;
  };
  const formatPercent = (p, places = 2) => `${unitsText(roundHalfUp(p, places), places)}%`;
  const plain = (value) => {
    if (value.d === 1n) return value.n.toString();
    const text = unitsText(roundHalfUp(value, 2), 2).replace(/\.?0+$/, "");
    return text === "-0" ? "0" : text;
  };
  const definitionNumber = (raw) => {
    if (isFrac(raw)) return raw;
    if (typeof raw === "bigint" || Number.isInteger(raw)) return frac(BigInt(raw));
    const d = typeof raw === "boolean" ? null : readDecimal(pyStr(raw).trim());
    if (d === null || d.special) throw new Error(`bad threshold ${raw}`);
    return decimalFrac(d);
  };

  // ---- rules ----
  const operands = (rule) => {
    if (!OPERANDS[rule.kind]) throw new Error(`unknown rule kind ${rule.kind}`);
    return OPERANDS[rule.kind].map((name) => rule[name]);
  };
  const exact = (raw) => {
    if (isBlank(raw)) return null;
    if (typeof raw === "bigint" && raw >= 0n) return frac(raw);
    if (typeof raw === "boolean" || Array.isArray(raw)) throw new InputError(_("请输入数字"));
    return parseDecimal(raw);
  };
  const limit = (rule) => definitionNumber(rule.kind === "value" ? rule.value : rule.percent);
  const limitText = (rule, fields) => {
    if (rule.kind !== "value") return `${plain(limit(rule))}%`;
    const unit = (fields.get(rule.field) || {}).unit || "", number = plain(limit(rule));
    return unit && /^[\x00-\x7f]*$/.test(unit) ? `${number} ${unit}` : number + unit;
  };
  const outcome = (rule, verdict, message, percent = null) => ({ key: rule.key, label: rule.label, verdict, percent, message });
  const judge = (rule, fields, measured, shown) => {
    const op = OPS[rule.op];
    if (!op) throw new Error(`unknown op ${rule.op}`);
    const holds = op[0](cmp(measured, limit(rule)));
    const message = fmt(_(holds ? op[1] : op[2]), { label: rule.label, shown, limit: limitText(rule, fields) });
    return [holds ? "pass" : "fail", message];
  };
  const ratio = (rule, fields, [num, den]) => {
    const [numLabel, denLabel] = operands(rule).map((k) => labelOf(fields, k));
    if (den.n === 0n) {
      const message = fmt(_("%(rule)s：%(denominator)s为0，分母不能为0"), { rule: rule.label, denominator: denLabel });
      return outcome(rule, "invalid", message);
    }
    if (cmp(num, den) > 0 && rule.may_exceed !== true) {
      return outcome(rule, "invalid", fmt(_("%(rule)s：%(numerator)s（%(n)s）不能大于%(denominator)s（%(d)s）"),
        { rule: rule.label, numerator: numLabel, n: plain(num), denominator: denLabel, d: plain(den) }));
    }
    const percent = mul(div(num, den), HUNDRED);
    return outcome(rule, ...judge(rule, fields, percent, formatPercent(percent)), percent);
  };
  const reduction = (rule, fields, [baseline, actual]) => {
    if (baseline.n === 0n) {
      const message = fmt(_("%(rule)s：%(field)s必须大于0"), { rule: rule.label, field: labelOf(fields, rule.baseline) });
      return outcome(rule, "invalid", message);
    }
    const percent = mul(div(sub(baseline, actual), baseline), HUNDRED);
    return outcome(rule, ...judge(rule, fields, percent, formatPercent(percent)), percent);
  };
  const valueRule = (rule, fields, [value]) => {
    const shown = limitText({ ...rule, value }, fields);
    return outcome(rule, ...judge(rule, fields, value, `${labelOf(fields, rule.field)} ${shown}`));
  };
  const KINDS = { ratio, reduction, value: valueRule };

  const evaluateRule = (rule, values, fieldList) => {
    const fields = byKey(fieldList), keys = operands(rule), numbers = [];
    for (const key of keys) {
      try {
        numbers.push(exact(has(values, key) ? values[key] : null));
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        const message = fmt(_("%(rule)s：%(field)s%(error)s"), { rule: rule.label, field: labelOf(fields, key), error: e.message });
        return outcome(rule, "invalid", message);
      }
    }
    const blank = keys.filter((k, i) => numbers[i] === null).map((k) => labelOf(fields, k));
    if (blank.length) return outcome(rule, "incomplete", missing(list(blank)));
    return KINDS[rule.kind](rule, fields, numbers);
  };

  // ---- requirements ----
  const unset = (v) => v === null || v === undefined;
  const requireTrue = (field, value) => {
    if (unset(value)) return ["incomplete", missing(field.label)];
    return value ? ["pass", fmt(_("%(field)s：是"), { field: field.label })]
      : ["fail", fmt(_("%(field)s：未满足（须为“是”）"), { field: field.label })];
  };
  const requireTrueIf = (field, condition, values) => {
    const state = values[condition.key];
    if (unset(state)) return ["incomplete", missing(condition.label)];
    if (!state) {
      return ["pass", fmt(_("%(field)s：不适用（%(condition)s：否）"), { field: field.label, condition: condition.label })];
    }
    return requireTrue(field, values[field.key]);
  };
  const requireTrueIfTicked = (field, condition, option, values) => {
    const ticked = values[condition.key];
    if (unset(ticked)) return ["incomplete", missing(condition.label)];
    if (!ticked.includes(option)) {
      const labels = optionLabels(condition), name = labels.has(option) ? labels.get(option) : option;
      return ["pass", fmt(_("%(field)s：不适用（%(condition)s未勾选“%(option)s”）"),
        { field: field.label, condition: condition.label, option: name })];
    }
    return requireTrue(field, values[field.key]);
  };
  const requiredIf = (field, fields, values) => {  // required_if: KEY, or KEY.OPTION (an option of a choices field)
    const at = field.required_if.indexOf(".");
    const target = at < 0 ? field.required_if : field.required_if.slice(0, at), condition = fields.get(target);
    const keys = [field.key, target];
    if (at >= 0) return [keys, requireTrueIfTicked(field, condition, field.required_if.slice(at + 1), values)];
    return [keys, requireTrueIf(field, condition, values)];
  };
  const requireAll = (field, ticked, marks) => {
    if (unset(ticked) && !Object.keys(marks).length) return ["incomplete", missing(field.label)];
    const covered = (ticked || []).concat(Object.keys(marks));
    const lacking = [...optionLabels(field)].filter(([key]) => !covered.includes(key)).map(([, name]) => name);
    if (lacking.length) {
      return ["fail", fmt(_("%(field)s：未覆盖%(options)s"), { field: field.label, options: list(lacking) })];
    }
    return ["pass", fmt(_("%(field)s：已全部覆盖"), { field: field.label })];
  };
  const requireMin = (field, ticked, marks, naFlags) => {
    const needed = parseInt(field.min, 10), marked = naFlags && Object.keys(marks).length > 0;
    if (unset(ticked) && !marked) return ["incomplete", missing(field.label)];
    const count = (ticked || []).length;
    if (count >= needed) return ["pass", fmt(_("%(field)s：已选择%(count)s项"), { field: field.label, count })];
    const text = marked ? _("%(field)s：至少选择%(needed)s项（已选择%(count)s项，“本社区无此设施”不计入）")
      : _("%(field)s：至少选择%(needed)s项（已选择%(count)s项）");
    return ["fail", fmt(text, { field: field.label, needed, count })];
  };
  const requireText = (field, text) => (text ? ["pass", fmt(_("%(field)s：已填写"), { field: field.label })]
    : ["incomplete", missing(field.label)]);
  const fieldChecks = (field, fields, values, marks, naFlags) => {
    const { key, kind } = field, value = values[key], checks = [];
    if (kind === "bool" && field.required) checks.push([[key], requireTrue(field, value)]);
    else if (kind === "bool" && field.required_if) checks.push(requiredIf(field, fields, values));
    if (kind === "choices" && field.rule === "all") checks.push([[key], requireAll(field, value, marks[key] || {})]);
    if (kind === "choices" && !unset(field.min)) checks.push([[key], requireMin(field, value, marks[key] || {}, naFlags)]);
    if (kind === "text" && field.required) checks.push([[key], requireText(field, value)]);
    return checks;
  };
  const requirements = (item, values, marks, invalid, naFlags) => {
    const fields = byKey(item.fields), out = [];
    for (const field of item.fields || []) {
      for (const [keys, [verdict, message]] of fieldChecks(field, fields, values, marks, naFlags)) {
        const blocked = keys.some((k) => invalid.has(k));
        out.push({ field: field.key, label: field.label, verdict: blocked ? "invalid" : verdict,
                   message: blocked ? problem(field.label, _(BLOCKED)) : message });
      }
    }
    return out;
  };
  const photoRequirement = (count, minPhotos) => {
    const enough = count >= minPhotos;
    const message = enough ? fmt(ngettext("已上传%(count)s张照片", "已上传%(count)s张照片", count), { count })
      : fmt(ngettext("至少上传%(count)s张照片作为佐证", "至少上传%(count)s张照片作为佐证", minPhotos),
        { count: minPhotos });
    return { field: "photos", label: _("照片佐证"), verdict: enough ? "pass" : "incomplete", message };
  };
  const overall = (errors, outcomes) => {
    const seen = new Set(outcomes.map((o) => o.verdict));
    if (errors.length) seen.add("invalid");
    return ["invalid", "incomplete", "fail"].find((v) => seen.has(v)) || "pass";
  };

  const evaluateItem = (item, rawValues, notApplicable, photoCount, minPhotos = 1, naFlags = false) => {
    const [values, valueErrors] = cleanValues(item, rawValues || {});
    const [marks, markErrors] = cleanNotApplicable(item, notApplicable || {}, values, naFlags === true);
    const errors = valueErrors.concat(markErrors);
    const invalid = new Set(errors.map((e) => e.field));
    const rules = (item.rules || []).map((rule) => (operands(rule).some((k) => invalid.has(k))
      ? outcome(rule, "invalid", problem(rule.label, _(BLOCKED)))
      : evaluateRule(rule, values, item.fields || [])));
    const reqs = requirements(item, values, marks, invalid, naFlags === true);
    if (!unset(photoCount)) reqs.push(photoRequirement(photoCount, minPhotos));
    const all = rules.concat(reqs), verdict = overall(errors, all);
    return {
      number: parseInt(item.number, 10), verdict, rules, requirements: reqs, errors, values, passed: verdict === "pass",
      complete: !errors.length && !all.some((o) => o.verdict === "incomplete"),
      // Each message once, as the server says it (two checks can wait on the same blank field).
      reasons: [...new Set(errors.map((e) => e.message).concat(all.filter((o) => o.verdict !== "pass")
        .map((o) => o.message)))],
    };
  };

  root.ZHSQEval = { evaluateItem, evaluateRule, cleanValues, formatPercent, plain, frac };
})(typeof window !== "undefined" ? window : globalThis);
