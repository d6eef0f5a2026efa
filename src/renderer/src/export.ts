// Saving an export (a report, a handover, a run or incident page) as a download.
import type { FileExport } from '../../shared/export';

function bytesOf(exp: FileExport): BlobPart {
  if (exp.encoding === 'utf8') return exp.content;
  const raw = atob(exp.content);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** Saves an export through a Blob and a download link; returns the file name. */
export function saveExport(exp: FileExport): string {
  const name = exp.fileName.replace(/[^A-Za-z0-9._-]+/g, '-') || 'opsdeck-export';
  download(new Blob([bytesOf(exp)], { type: exp.mime }), name);
  return name;
}

/** Offers a Blob as a download named `name`, through a link clicked once. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
