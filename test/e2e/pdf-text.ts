// Reads the text of a PDF that Chromium printed, for tests on machines without pdftotext:
// Flate streams, Type0 fonts with Identity-H two-byte codes mapped through their ToUnicode
// CMaps, and the Tf / Tj / TJ operators of each page's content. Not a general PDF reader:
// enough to find a title and a figure in what Skia writes. Text objects are joined by
// spaces, runs within one by nothing (a kerned word is one run list).
import { inflateSync } from 'node:zlib';

type Objects = Map<string, Buffer>;

function objects(pdf: Buffer): Objects {
  const out: Objects = new Map();
  const text = pdf.toString('latin1');
  const re = /(\d+) 0 obj\s*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const end = text.indexOf('endobj', re.lastIndex);
    if (end < 0) break;
    out.set(m[1], pdf.subarray(re.lastIndex, end));
    re.lastIndex = end;
  }
  return out;
}

function streamOf(obj: Buffer): Buffer {
  const text = obj.toString('latin1');
  const at = text.indexOf('stream');
  let start = at + 'stream'.length;
  if (text[start] === '\r') start++;
  if (text[start] === '\n') start++;
  const end = text.lastIndexOf('endstream');
  const raw = obj.subarray(start, end);
  return /\/FlateDecode/.test(text.slice(0, at)) ? inflateSync(raw) : raw;
}

function hexToString(hex: string): string {
  let s = '';
  for (let i = 0; i + 4 <= hex.length; i += 4)
    s += String.fromCodePoint(parseInt(hex.slice(i, i + 4), 16));
  return s;
}

/** code (4 hex digits) -> text, from a ToUnicode CMap's bfchar and bfrange sections. */
function cmap(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      map.set(m[1].toUpperCase().padStart(4, '0'), hexToString(m[2]));
    }
  }
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const lo = parseInt(m[1], 16);
      const hi = parseInt(m[2], 16);
      const base = parseInt(m[3], 16);
      for (let c = lo; c <= hi; c++) {
        map.set(c.toString(16).toUpperCase().padStart(4, '0'), String.fromCodePoint(base + c - lo));
      }
    }
  }
  return map;
}

function ref(dict: string, key: string): string | null {
  const m = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict);
  return m ? m[1] : null;
}

export function pdfText(pdf: Buffer): string {
  const objs = objects(pdf);
  const pages: string[] = [];
  for (const obj of objs.values()) {
    const dict = obj.toString('latin1');
    if (!/\/Type\s*\/Page\b/.test(dict)) continue;
    const fonts = new Map<string, Map<string, string>>();
    const fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(dict)?.[1] ?? '';
    for (const f of fontDict.matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
      const font = objs.get(f[2])?.toString('latin1') ?? '';
      const toUnicode = ref(font, 'ToUnicode');
      const cm = toUnicode ? objs.get(toUnicode) : undefined;
      fonts.set(f[1], cm ? cmap(streamOf(cm).toString('latin1')) : new Map());
    }
    const contents = ref(dict, 'Contents');
    const content = contents ? objs.get(contents) : undefined;
    if (!content) continue;
    pages.push(showText(streamOf(content).toString('latin1'), fonts));
  }
  return pages.join('\n');
}

function showText(ops: string, fonts: Map<string, Map<string, string>>): string {
  let font = new Map<string, string>();
  const parts: string[] = [];
  const token = /\/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>|\bET\b/g;
  for (const m of ops.matchAll(token)) {
    if (m[1] !== undefined) font = fonts.get(m[1]) ?? new Map();
    else if (m[2] !== undefined) {
      for (let i = 0; i + 4 <= m[2].length; i += 4) {
        parts.push(font.get(m[2].slice(i, i + 4).toUpperCase()) ?? '');
      }
    } else parts.push(' ');
  }
  return parts.join('').replace(/ +/g, ' ');
}
