/**
 * A form version in the person's language on this phone: the site's language first, then the browser's, matched
 * against the form's languages (shared/i18n/form-language.ts); the form's own texts otherwise. Only what people read
 * changes: keys, option values and rules are the version's, so drafts and records do not depend on the language.
 */
import type { PublishedForm } from '../../../cms/src/plugins/eas/shared/contracts/form';
import { localiseDefinition, pickFormLanguage } from '../../../cms/src/plugins/eas/shared/i18n/form-language';
import { language } from './i18n';

export const inPersonsLanguage = (form: PublishedForm): PublishedForm => {
  const lang = pickFormLanguage(form.definition, [language(), ...(navigator.languages ?? [])]);
  const definition = localiseDefinition(form.definition, lang);
  return definition === form.definition ? form : { ...form, definition };
};
