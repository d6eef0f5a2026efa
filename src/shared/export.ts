// Exports of a stored document (a report, a handover) to a file the person saves. No node
// imports here: the renderer compiles this.

export const EXPORT_FORMATS = ['html', 'csv', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** An export ready to save: text as is (utf8), a PDF as base64. */
export interface FileExport {
  fileName: string;
  mime: string;
  encoding: 'utf8' | 'base64';
  content: string;
}
