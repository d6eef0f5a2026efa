// One document exported to HTML, CSV or PDF; reports and handovers share it. The renderers
// are called only for the format asked for (PDF prints the HTML).
import type { ExportFormat, FileExport } from '../../shared/export';
import { assertNever } from '../../shared/result';
import type { PdfPrinter } from './pdf';

export interface ExportRenderers {
  html: () => string;
  csv: () => string;
}

export async function exportFile(
  base: string,
  format: ExportFormat,
  render: ExportRenderers,
  printPdf: PdfPrinter,
): Promise<FileExport> {
  switch (format) {
    case 'html':
      return text(`${base}.html`, 'text/html;charset=utf-8', render.html());
    case 'csv':
      return text(`${base}.csv`, 'text/csv;charset=utf-8', render.csv());
    case 'pdf': {
      const pdf = await printPdf(render.html());
      return {
        fileName: `${base}.pdf`,
        mime: 'application/pdf',
        encoding: 'base64',
        content: pdf.toString('base64'),
      };
    }
    default:
      return assertNever(format, 'export format');
  }
}

function text(fileName: string, mime: string, content: string): FileExport {
  return { fileName, mime, encoding: 'utf8', content };
}
