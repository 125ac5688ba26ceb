/**
 * A form in several languages: its own texts (labels, hints, option labels, constraint messages, photo labels and
 * hints, signature roles and consent texts) are in its default language, and `translations` give them in others.
 * One form version, one set of option values: stored data never depends on the language; only what people read does.
 * Used by the phone (the person's language), the PDF (the language chosen at export) and the server (a consent text
 * signed in any of the form's languages).
 */
import type { FieldDefinition, FormDefinition, PhotoSlotDefinition, SignatureSlotDefinition } from '../contracts/form';

type Texts = Pick<FormDefinition, 'fields' | 'photos' | 'signatures' | 'defaultLanguage' | 'languages'>;

const base = (code: string) => code.trim().toLowerCase().split(/[-_]/)[0];

/** The form's languages, its default first (empty when it declares none). */
export const formLanguages = (definition: Pick<FormDefinition, 'defaultLanguage' | 'languages'>): string[] =>
  [definition.defaultLanguage, ...(definition.languages ?? [])].filter((l): l is string => Boolean(l));

/**
 * Which of the form's languages to show for the wanted ones (the person's, in order; "fr-CA" matches "fr",
 * case-insensitive); the default language when none matches (null: the form has no declared language).
 */
export const pickFormLanguage = (
  definition: Pick<FormDefinition, 'defaultLanguage' | 'languages'>,
  wanted: readonly string[]
): string | null => {
  const langs = formLanguages(definition);
  for (const w of wanted) {
    const exact = langs.find((l) => l.toLowerCase() === w.toLowerCase());
    if (exact) return exact;
    const near = langs.find((l) => base(l) === base(w));
    if (near) return near;
  }
  return definition.defaultLanguage ?? null;
};

const pick = <T extends object, K extends keyof T>(texts: Record<string, T> | undefined, lang: string, key: K): T[K] | undefined => {
  const own = texts?.[lang]?.[key];
  return typeof own === 'string' && own.trim() ? own : undefined;
};

const field = (f: FieldDefinition, lang: string): FieldDefinition => {
  const t = f.translations?.[lang];
  if (!t) return f;
  return {
    ...f,
    label: pick(f.translations, lang, 'label') ?? f.label,
    ...(f.help !== undefined || t.help ? { help: pick(f.translations, lang, 'help') ?? f.help } : {}),
    ...(f.constraintMessage !== undefined || t.constraintMessage
      ? { constraintMessage: pick(f.translations, lang, 'constraintMessage') ?? f.constraintMessage }
      : {}),
    ...(f.options ? { options: f.options.map((o) => ({ ...o, label: t.options?.[o.value]?.trim() || o.label })) } : {}),
  };
};

const photo = (p: PhotoSlotDefinition, lang: string): PhotoSlotDefinition =>
  p.translations?.[lang]
    ? {
        ...p,
        label: pick(p.translations, lang, 'label') ?? p.label,
        ...(p.hint !== undefined || p.translations[lang].hint ? { hint: pick(p.translations, lang, 'hint') ?? p.hint } : {}),
      }
    : p;

const signature = (s: SignatureSlotDefinition, lang: string): SignatureSlotDefinition =>
  s.translations?.[lang]
    ? { ...s, role: pick(s.translations, lang, 'role') ?? s.role, consentText: pick(s.translations, lang, 'consentText') ?? s.consentText }
    : s;

const cache = new WeakMap<object, Map<string, unknown>>();

/**
 * The definition as people read it in `lang`: every text in that language where the form has it, else in the
 * default language. Keys, types, options' values, expressions and rules are the same object graph's values.
 */
export const localiseDefinition = <D extends Texts>(definition: D, lang: string | null): D => {
  if (!lang || lang === definition.defaultLanguage) return definition;
  let perLang = cache.get(definition);
  if (!perLang) cache.set(definition, (perLang = new Map()));
  const hit = perLang.get(lang) as D | undefined;
  if (hit) return hit;
  const out: D = {
    ...definition,
    fields: definition.fields.map((f) => field(f, lang)),
    photos: definition.photos.map((p) => photo(p, lang)),
    signatures: definition.signatures.map((s) => signature(s, lang)),
  };
  perLang.set(lang, out);
  return out;
};

/** The consent texts a signer may have read for a slot: the default language's and each translation's. */
export const consentTexts = (slot: SignatureSlotDefinition): string[] =>
  [slot.consentText, ...Object.values(slot.translations ?? {}).map((t) => t.consentText ?? '')].map((t) => t.trim()).filter(Boolean);

/** The language whose consent text this is (the default language's code, or null when the form declares none). */
export const consentLanguage = (definition: Pick<FormDefinition, 'defaultLanguage'>, slot: SignatureSlotDefinition, text: string) => {
  const t = text.trim();
  if (slot.consentText.trim() === t) return definition.defaultLanguage ?? null;
  return Object.entries(slot.translations ?? {}).find(([, tr]) => tr.consentText?.trim() === t)?.[0] ?? undefined;
};

type Add = (path: (string | number)[], message: string) => void;

/** Translations only for the form's declared languages, and option labels only for existing option values. */
export const checkTranslations = (definition: Texts, add: Add) => {
  const declared = new Set((definition.languages ?? []).map((l) => l));
  const known = (lang: string) => declared.has(lang);
  const hint = declared.size ? `its languages are ${[...declared].join(', ')}` : 'declare the form’s languages first';
  definition.fields.forEach((f, i) => {
    for (const [lang, t] of Object.entries(f.translations ?? {})) {
      if (!known(lang))
        add(
          ['fields', i, 'translations'],
          `Field ${i + 1} ("${f.key}"): a translation in "${lang}", which is not a language of this form (${hint})`
        );
      const values = new Set((f.options ?? []).map((o) => o.value));
      for (const v of Object.keys(t.options ?? {}))
        if (!values.has(v))
          add(
            ['fields', i, 'translations'],
            `Field ${i + 1} ("${f.key}"): the ${lang} translation names the option "${v}", which the field does not have`
          );
    }
  });
  definition.signatures.forEach((s, i) => {
    for (const lang of Object.keys(s.translations ?? {}))
      if (!known(lang))
        add(
          ['signatures', i, 'translations'],
          `Signature ${i + 1} ("${s.key}"): a translation in "${lang}", which is not a language of this form (${hint})`
        );
  });
  if (definition.languages?.length && !definition.defaultLanguage)
    add(['defaultLanguage'], 'Default language: say which language the form’s own texts are in (e.g. "en") before adding other languages');
};
