/**
 * Writing plain A4 documents with pdf-lib: wrapped paragraphs in the standard fonts, pages added
 * as text runs off the bottom, and simple tables. Used by the signing certificate and the
 * documentation package's PDF. Dates come from the caller, so the same content gives the same bytes.
 */
import { PDFDocument, type PDFFont, type PDFPage, StandardFonts, rgb } from 'pdf-lib';

/** Helvetica speaks WinAnsi: typographic punctuation is mapped, anything else printed as "?" (digests are of the exact text). */
export function printable(text: string): string {
  return text
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/…/g, '...')
    .replace(/[^\n\x20-\x7e\xa0-\xff]/g, '?');
}

export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of printable(text).split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const next = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(next, size) <= width) line = next;
      else {
        if (line) lines.push(line);
        // A word longer than the line (a digest, a user agent) is cut where it must be.
        let rest = word;
        while (font.widthOfTextAtSize(rest, size) > width) {
          let n = rest.length;
          while (n > 1 && font.widthOfTextAtSize(rest.slice(0, n), size) > width) n--;
          lines.push(rest.slice(0, n));
          rest = rest.slice(n);
        }
        line = rest;
      }
    }
    lines.push(line);
  }
  return lines;
}

const [PAGE_WIDTH, PAGE_HEIGHT, MARGIN] = [595.28, 841.89, 50];
const INK = rgb(0.1, 0.1, 0.12);

export type PdfWriter = {
  doc: PDFDocument;
  regular: PDFFont;
  bold: PDFFont;
  mono: PDFFont;
  /** Writes a paragraph, wrapped to the page's width. */
  write: (text: string, font?: PDFFont, size?: number, gap?: number) => void;
  space: (n?: number) => void;
  newPage: () => void;
  /** A table in a fixed-width font: the header row in bold, each cell cut to its column's share of the width. */
  table: (columns: readonly { heading: string; share: number }[], rows: Iterable<readonly string[]>, size?: number) => void;
  save: () => Promise<Uint8Array>;
};

export async function pdfWriter(meta: { title: string; author: string; subject: string; at: Date; tables?: boolean }): Promise<PdfWriter> {
  const doc = await PDFDocument.create();
  doc.setTitle(printable(meta.title));
  doc.setAuthor(printable(meta.author));
  doc.setSubject(meta.subject);
  doc.setProducer('offboard');
  doc.setCreator('offboard');
  doc.setCreationDate(meta.at);
  doc.setModificationDate(meta.at);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const mono = await doc.embedFont(StandardFonts.Courier);
  // Only documents with tables embed it: a signing certificate's bytes stay what they always were.
  const monoBold = meta.tables ? await doc.embedFont(StandardFonts.CourierBold) : mono;
  const width = PAGE_WIDTH - 2 * MARGIN;
  let page: PDFPage = doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
  let y = PAGE_HEIGHT - MARGIN;
  const newPage = () => {
    page = doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    y = PAGE_HEIGHT - MARGIN;
  };
  const line = (text: string, x: number, font: PDFFont, size: number) => page.drawText(text, { x, y: y - size, size, font, color: INK });
  const write = (text: string, font: PDFFont = regular, size = 10, gap = 4) => {
    for (const l of wrap(text, font, size, width)) {
      if (y < MARGIN + size) newPage();
      line(l, MARGIN, font, size);
      y -= size + gap;
    }
  };
  // One text run per row in a fixed-width font: a table of 10,000 rows stays one object per row
  // (pdf-lib keeps every operator of every page until it saves).
  const table: PdfWriter['table'] = (columns, rows, size = 7) => {
    const perLine = Math.floor(width / mono.widthOfTextAtSize('0', size));
    const total = columns.reduce((sum, c) => sum + c.share, 0);
    const chars = columns.map((c) => Math.max(4, Math.floor((c.share / total) * perLine) - 1));
    const cell = (text: string, n: number) => {
      const flat = printable(text).replace(/\s+/g, ' ');
      return (flat.length > n ? `${flat.slice(0, n - 3)}...` : flat).padEnd(n);
    };
    const row = (cells: readonly string[], font: PDFFont) => {
      if (y < MARGIN + size) newPage();
      line(
        cells
          .map((text, i) => cell(text, chars[i] ?? 4))
          .join(' ')
          .trimEnd(),
        MARGIN,
        font,
        size,
      );
      y -= size + 3;
    };
    const header = columns.map((c) => c.heading);
    row(header, monoBold);
    let n = 0;
    for (const cells of rows) {
      // The header again at the top of each new page, so a long table stays readable.
      if (n++ > 0 && y < MARGIN + size) {
        newPage();
        row(header, monoBold);
      }
      row(cells, mono);
    }
  };
  return {
    doc,
    regular,
    bold,
    mono,
    write,
    space: (n = 8) => {
      y -= n;
    },
    newPage,
    table,
    save: () => doc.save({ useObjectStreams: false }),
  };
}
