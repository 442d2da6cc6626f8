// The pay calculator on /pay/: reads the rules the build published
// (pay/rules.json) and computes pay with the same steps and the same exact
// decimal arithmetic as openfolio itself (numbers as BigInt with a scale, never
// floating point), so that its result is the site's result to the cent.
// Loaded only on the pay page; the page reads fine without it.
"use strict";

(function (root) {
  // A decimal is {n: BigInt, s: scale}: value = n / 10^s.
  function dec(text) {
    const t = String(text).trim();
    const neg = t.startsWith("-");
    const body = neg ? t.slice(1) : t;
    const [int, frac = ""] = body.split(".");
    if (!/^\d+$/.test(int || "0") || !/^\d*$/.test(frac)) throw new Error("not a number: " + text);
    const n = BigInt((int || "0") + frac);
    return { n: neg ? -n : n, s: frac.length };
  }
  const TEN = 10n;
  function pow10(k) { let p = 1n; for (let i = 0; i < k; i++) p *= TEN; return p; }
  function align(a, b) {
    const s = Math.max(a.s, b.s);
    return [a.n * pow10(s - a.s), b.n * pow10(s - b.s), s];
  }
  function add(a, b) { const [x, y, s] = align(a, b); return { n: x + y, s }; }
  function mul(a, b) { return { n: a.n * b.n, s: a.s + b.s }; }
  function fromInt(i) { return { n: BigInt(i), s: 0 }; }
  function normalize(a) {
    let { n, s } = a;
    while (s > 0 && n % TEN === 0n) { n /= TEN; s -= 1; }
    return { n, s };
  }
  // a / b exactly when the quotient is a finite decimal (b made of 2s and 5s).
  function divExact(a, b, maxScale) {
    const scale = maxScale || 28;
    const num = a.n * pow10(b.s + scale);
    const den = b.n * pow10(a.s);
    return normalize({ n: num / den, s: scale });
  }
  // Rounds a / unit half away from zero to a whole number, times unit.
  function roundTo(a, unit) {
    const num = a.n * pow10(unit.s);
    const den = unit.n * pow10(a.s);
    const neg = (num < 0n) !== (den < 0n);
    const an = num < 0n ? -num : num;
    const ad = den < 0n ? -den : den;
    let q = an / ad;
    const r = an - q * ad;
    if (2n * r >= ad) q += 1n;
    return normalize(mul({ n: neg ? -q : q, s: 0 }, unit));
  }
  // Rounds to `dp` decimals, half away from zero.
  function roundDp(a, dp) { return roundTo(a, { n: 1n, s: dp }); }
  function toText(a, minScale) {
    let { n, s } = normalize(a);
    const want = Math.max(s, minScale || 0);
    n = n * pow10(want - s);
    const neg = n < 0n;
    let digits = (neg ? -n : n).toString().padStart(want + 1, "0");
    const out = want > 0 ? digits.slice(0, digits.length - want) + "." + digits.slice(digits.length - want) : digits;
    return (neg ? "-" : "") + out;
  }
  function lookup(table, key) {
    for (const [k, v] of table.entries) if (k === key) return dec(v);
    return null;
  }

  // inputs: {base: key, multipliers: {name: key}, years: {stepName: n}, scale: "0.8"}
  function compute(rules, inputs) {
    const lines = [];
    const base = lookup(rules.base, inputs.base);
    if (!base) throw new Error("unknown " + rules.base.by + " " + inputs.base);
    let value = base;
    lines.push({ label: "Base for " + rules.base.by + " " + inputs.base, operation: "", value: toText(value, 2) });
    for (const m of rules.multipliers) {
      const key = inputs.multipliers[m.name];
      const f = lookup(m.table, key);
      if (!f) throw new Error("unknown " + m.table.by + " " + key);
      value = mul(value, f);
      lines.push({ label: m.name + " " + key, operation: "× " + toText(f), value: toText(value, 2) });
    }
    for (const st of rules.steps) {
      const years = Math.max(0, Math.floor(Number(inputs.years[st.name] || 0)));
      const counted = st.max_years === null ? years : Math.min(years, st.max_years);
      const pct = mul(dec(st.percent_per_year), fromInt(counted));
      value = mul(value, add(fromInt(1), divExact(pct, fromInt(100))));
      const capped = counted < years ? " (at most " + st.max_years + ")" : "";
      lines.push({ label: st.name, operation: counted + " years" + capped + " × " + toText(dec(st.percent_per_year)) + " % = +" + toText(pct) + " %", value: toText(value, 2) });
    }
    if (rules.scale_by) {
      const f = dec(inputs.scale === undefined || inputs.scale === "" ? "1" : inputs.scale);
      value = mul(value, f);
      lines.push({ label: rules.scale_by.toUpperCase(), operation: "× " + toText(f), value: toText(value, 2) });
    }
    const unit = dec(rules.unit);
    const amount = roundTo(value, dec(rules.round_to));
    let monthly, yearly;
    if (rules.per === "month") { monthly = amount; yearly = mul(amount, fromInt(12)); }
    else { yearly = amount; monthly = roundDp(divExact(amount, fromInt(12), 40), unit.s); }
    return { lines, exact: toText(value), amount: toText(amount), monthly: toText(monthly), yearly: toText(yearly) };
  }

  const api = { compute, dec, roundTo, toText };
  if (typeof module !== "undefined" && module.exports) { module.exports = api; }
  root.openfolioPay = api;

  // --- The form on /pay/ ------------------------------------------------------
  if (typeof document === "undefined") return;
  const form = document.getElementById("pay-calculator");
  if (!form) return;
  const out = document.getElementById("pay-calculator-result");
  fetch(form.dataset.rules).then(function (r) { return r.json(); }).then(function (rules) {
    function field(name) { const el = form.elements.namedItem(name); return el ? el.value : ""; }
    function update() {
      const inputs = { base: field("base"), multipliers: {}, years: {}, scale: field("scale") };
      for (const m of rules.multipliers) inputs.multipliers[m.name] = field("m:" + m.name);
      for (const st of rules.steps) inputs.years[st.name] = field("y:" + st.name);
      out.textContent = "";
      try {
        const res = compute(rules, inputs);
        const list = document.createElement("ol");
        list.className = "breakdown";
        for (const l of res.lines) {
          const li = document.createElement("li");
          li.textContent = l.label + (l.operation ? " " + l.operation : "") + " = " + l.value;
          list.appendChild(li);
        }
        const total = document.createElement("p");
        total.className = "calc-total";
        total.textContent = "→ " + res.amount + " " + rules.currency + " (" + res.monthly + " / month, " + res.yearly + " / year)";
        out.appendChild(list);
        out.appendChild(total);
      } catch (e) {
        out.textContent = e.message;
      }
    }
    form.addEventListener("input", update);
    form.hidden = false;
    update();
  });
})(typeof window !== "undefined" ? window : globalThis);
