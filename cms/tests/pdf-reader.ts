/** Reading PDFs and ZIPs in tests: text (pdfjs), embedded image count, document info; ZIP entry names. */
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

export const readPdf = async (buffer: Buffer) => {
  const doc = await getDocument({ data: new Uint8Array(buffer), useSystemFonts: false, isEvalSupported: false }).promise;
  let text = '';
  let images = 0;
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    text += content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join('') + '\n';
    const ops = await page.getOperatorList();
    images += ops.fnArray.filter((fn) => fn === OPS.paintImageXObject || fn === OPS.paintInlineImageXObject).length;
  }
  const { info } = (await doc.getMetadata()) as unknown as { info: Record<string, string> };
  const pages = doc.numPages;
  await doc.destroy();
  // Compare on normalised text: NFKC folds Arabic presentation forms (shaped glyphs) back to letters; `flat`
  // collapses whitespace, `dense` removes it (long values wrap anywhere).
  const normal = text.normalize('NFKC');
  return { text: normal, flat: normal.replace(/\s+/g, ' '), dense: normal.replace(/\s+/g, ''), images, info, pages };
};

/** Names of the entries of a ZIP file, from its central directory. */
export const zipEntries = (zip: Buffer): string[] => {
  const names: string[] = [];
  for (
    let i = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06])), offset = zip.readUInt32LE(i + 16), n = zip.readUInt16LE(i + 10);
    n > 0;
    n--
  ) {
    const nameLength = zip.readUInt16LE(offset + 28);
    const extra = zip.readUInt16LE(offset + 30);
    const comment = zip.readUInt16LE(offset + 32);
    names.push(zip.subarray(offset + 46, offset + 46 + nameLength).toString('utf8'));
    offset += 46 + nameLength + extra + comment;
  }
  return names;
};
