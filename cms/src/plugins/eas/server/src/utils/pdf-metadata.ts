import { PDFDocument } from 'pdf-lib';

/** Sets the document's information dictionary (Chromium only sets the title). */
export const setPdfMetadata = async (
  pdf: Buffer,
  meta: { title: string; subject: string; author: string; keywords: string[]; created: Date }
): Promise<Buffer> => {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setSubject(meta.subject);
  doc.setAuthor(meta.author);
  doc.setKeywords(meta.keywords);
  doc.setCreator('EAS field evidence capture');
  doc.setProducer('EAS (Chromium + pdf-lib)');
  doc.setCreationDate(meta.created);
  doc.setModificationDate(meta.created);
  return Buffer.from(await doc.save({ useObjectStreams: true }));
};
