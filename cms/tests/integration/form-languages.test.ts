/**
 * A form in two languages through the API on a real Strapi: the version carries its translations; a signature over
 * the consent text in either language is accepted (and keeps the text and language signed), any other text is
 * refused; the evidence PDF prints the labels in the language asked for, the values unchanged.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fx from '../../src/plugins/eas/server/src/utils/__tests__/image-fixtures';
import {
  createAndPublishForm,
  createEditor,
  createFieldStaff,
  dbKinds,
  http,
  putSignature,
  registerAdmin,
  startStrapi,
  submitDraft,
  type StrapiInstance,
} from '../harness';
import { readPdf } from '../pdf-reader';

const FORM = {
  name: 'Two languages',
  slug: 'two-languages',
  defaultLanguage: 'en',
  languages: 'fr',
  fields: [
    {
      key: 'state',
      label: 'Condition',
      type: 'select',
      required: true,
      options: 'good|Good\npoor|Poor',
      translations: { fr: { label: 'État du compteur', options: { good: 'Bon', poor: 'Mauvais' } } },
    },
    { key: 'notes', label: 'Notes', type: 'text', translations: { fr: { label: 'Remarques' } } },
  ],
  frontPhoto: { enabled: false },
  backPhoto: { enabled: false },
  signatures: [
    {
      key: 'client',
      role: 'Client',
      consentText: 'I confirm the reading.',
      required: true,
      translations: { fr: { role: 'Client', consentText: 'Je confirme le relevé.' } },
    },
  ],
};

describe.each(dbKinds())('a form in two languages on %s', (db) => {
  let strapi: StrapiInstance;
  let editor: Awaited<ReturnType<typeof createEditor>>;
  let staff: Awaited<ReturnType<typeof createFieldStaff>>;

  const draft = async () => {
    const res = await http(`${strapi.url}/api/eas/records`, {
      method: 'POST',
      token: staff.jwt,
      json: {
        clientId: randomUUID(),
        form: FORM.slug,
        formVersion: 1,
        data: { state: 'poor', notes: 'Joint qui fuit 💧' },
        capturedAt: new Date().toISOString(),
      },
    });
    expect(res.status).toBe(201);
    return res.body.data.documentId as string;
  };

  beforeAll(async () => {
    strapi = await startStrapi({ db });
    const admin = await registerAdmin(strapi.url);
    editor = await createEditor(strapi.url, admin.token);
    staff = await createFieldStaff(strapi.url, admin.token);
    await createAndPublishForm(strapi.url, admin.token, FORM);
  }, 180_000);

  afterAll(async () => {
    await strapi?.stop();
  });

  it('publishes the languages and translations with the version field staff receive', async () => {
    const res = await http(`${strapi.url}/api/eas/forms/${FORM.slug}`, { token: staff.jwt });
    expect(res.status).toBe(200);
    const def = res.body.data.definition;
    expect([def.defaultLanguage, def.languages]).toEqual(['en', ['fr']]);
    expect(def.fields[0].translations.fr).toEqual({ label: 'État du compteur', options: { good: 'Bon', poor: 'Mauvais' } });
    expect(def.signatures[0].translations.fr.consentText).toBe('Je confirme le relevé.');
  });

  it('takes a signature over the French consent text, refuses an invented one, and prints the PDF in French or English', async () => {
    const invented = await putSignature(strapi.url, staff.jwt, await draft(), 'client', {
      png: await fx.uniqueSignaturePng(),
      signerName: 'Ada',
      consentText: 'Je confirme tout ce que vous voulez.',
    });
    expect(invented.status).toBe(400);
    expect(invented.body.error.message).toBe(
      'consentText: differs from the consent text of this form version (in each of its languages); reload the form and sign again'
    );

    const id = await draft();
    const signed = await putSignature(strapi.url, staff.jwt, id, 'client', {
      png: await fx.uniqueSignaturePng(),
      signerName: 'Ada',
      consentText: 'Je confirme le relevé.',
    });
    expect(signed.status).toBe(201);
    expect((await submitDraft(strapi.url, staff.jwt, id)).status).toBe(200);

    const details = await http(`${strapi.url}/eas/records/${id}`, { token: editor.token });
    expect(details.body.data.signatures[0].consentText).toBe('Je confirme le relevé.');

    const pdf = async (query: string) => {
      const res = await fetch(`${strapi.url}/eas/records/${id}/pdf${query}`, { headers: { Authorization: `Bearer ${editor.token}` } });
      expect(res.status).toBe(200);
      return (await readPdf(Buffer.from(await res.arrayBuffer()))).flat;
    };
    const fr = await pdf('?lang=fr-FR');
    expect(fr).toContain('État du compteur Mauvais');
    expect(fr).toContain('Remarques Joint qui fuit');
    expect(fr).toContain('Je confirme le relevé.');
    const en = await pdf('');
    expect(en).toContain('Condition Poor');
    expect(en).toContain('Notes Joint qui fuit');
    expect(en).toContain('Je confirme le relevé.'); // what was signed, whatever language the PDF is printed in

    const bad = await http(`${strapi.url}/eas/records/${id}/pdf?lang=<script>`, { token: editor.token });
    expect(bad.status).toBe(400);
  });
});
